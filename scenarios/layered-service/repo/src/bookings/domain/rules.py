"""Pure booking rules: no I/O, easy to test."""

from __future__ import annotations

from datetime import date

from bookings.domain.errors import InvalidDates


def nights(check_in: date, check_out: date) -> int:
    if check_out <= check_in:
        raise InvalidDates(f"check-out {check_out} is not after check-in {check_in}")
    return (check_out - check_in).days


def overlaps(a_in: date, a_out: date, b_in: date, b_out: date) -> bool:
    return a_in < b_out and b_in < a_out
