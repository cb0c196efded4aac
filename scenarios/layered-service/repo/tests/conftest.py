from datetime import date
from decimal import Decimal

import pytest

from bookings.domain.models import Room


@pytest.fixture
def room() -> Room:
    return Room(id=1, name="Lake", capacity=2, base_rate=Decimal("120.00"))


@pytest.fixture
def stay() -> tuple[date, date]:
    return date(2026, 5, 1), date(2026, 5, 4)
