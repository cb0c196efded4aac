from datetime import datetime

from shop.models.order import Order


def test_new_orders_are_open():
    assert Order(1, 1, 1000, "open", datetime(2026, 1, 1)).is_open
