"""Prices of stays."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bookings.domain.models import Room
from bookings.domain.rules import nights


def stay_price(room: Room, check_in: date, check_out: date) -> Decimal:
    return room.base_rate * nights(check_in, check_out)
