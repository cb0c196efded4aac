"""Checkout tests."""

from decimal import Decimal

from storefront.domain.money import Money


def test_money_adds() -> None:
    assert Money(Decimal("1.10")) + Money(Decimal("2.20")) == Money(Decimal("3.30"))
