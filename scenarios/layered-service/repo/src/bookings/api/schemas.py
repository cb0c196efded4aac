"""Request and response bodies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel


class RoomOut(BaseModel):
    id: int
    name: str
    capacity: int


class BookingIn(BaseModel):
    room_id: int
    guest_id: int
    check_in: date
    check_out: date


class BookingOut(BaseModel):
    id: int
    room_id: int
    check_in: date
    check_out: date
    total: Decimal
    status: str
