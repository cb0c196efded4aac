"""Bookings storage."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bookings.db import tables
from bookings.domain.models import Booking


class BookingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, booking_id: int) -> Booking | None:
        row = self.session.execute(
            select(tables.bookings).where(tables.bookings.c.id == booking_id)
        ).first()
        return Booking(**row._mapping) if row else None

    def for_room(self, room_id: int, start: date, end: date) -> list[Booking]:
        query = select(tables.bookings).where(
            tables.bookings.c.room_id == room_id,
            tables.bookings.c.check_in < end,
            tables.bookings.c.check_out > start,
        )
        return [Booking(**row._mapping) for row in self.session.execute(query)]

    def add(self, booking: Booking) -> Booking:
        values = {k: v for k, v in booking.__dict__.items() if k != "id"}
        result = self.session.execute(insert(tables.bookings).values(**values))
        return Booking(id=result.inserted_primary_key[0], **values)
