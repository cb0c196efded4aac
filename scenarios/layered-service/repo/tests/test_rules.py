from datetime import date

import pytest

from bookings.domain.errors import InvalidDates
from bookings.domain.rules import nights, overlaps


def test_nights(stay):
    assert nights(*stay) == 3


def test_check_out_must_follow_check_in():
    with pytest.raises(InvalidDates):
        nights(date(2026, 5, 4), date(2026, 5, 4))


def test_overlaps():
    assert overlaps(date(2026, 5, 1), date(2026, 5, 3), date(2026, 5, 2), date(2026, 5, 5))
    assert not overlaps(date(2026, 5, 1), date(2026, 5, 3), date(2026, 5, 3), date(2026, 5, 5))
