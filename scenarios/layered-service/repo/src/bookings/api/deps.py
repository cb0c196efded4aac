"""Composition root: builds services with their repositories for each request."""

from __future__ import annotations

from collections.abc import Iterator

from bookings.db.session import session_scope
from bookings.repositories.bookings import BookingRepository
from bookings.repositories.rooms import RoomRepository
from bookings.services.bookings import BookingService
from bookings.services.rooms import RoomService


def booking_service() -> Iterator[BookingService]:
    with session_scope() as session:
        yield BookingService(BookingRepository(session), RoomRepository(session))


def room_service() -> Iterator[RoomService]:
    with session_scope() as session:
        yield RoomService(RoomRepository(session))
