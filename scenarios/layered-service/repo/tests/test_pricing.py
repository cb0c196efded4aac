from decimal import Decimal

from bookings.services.pricing import stay_price


def test_stay_price(room, stay):
    assert stay_price(room, *stay) == Decimal("360.00")
