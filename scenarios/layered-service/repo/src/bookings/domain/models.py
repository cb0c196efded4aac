"""The service's data types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Room:
    id: int
    name: str
    capacity: int
    base_rate: Decimal


@dataclass(frozen=True)
class Guest:
    id: int
    name: str
    email: str


@dataclass(frozen=True)
class Booking:
    id: int
    room_id: int
    guest_id: int
    check_in: date
    check_out: date
    total: Decimal
    status: str = "confirmed"
