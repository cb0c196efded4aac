"""Guests storage."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bookings.db import tables
from bookings.domain.models import Guest


class GuestRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, guest_id: int) -> Guest | None:
        row = self.session.execute(
            select(tables.guests).where(tables.guests.c.id == guest_id)
        ).first()
        return Guest(**row._mapping) if row else None
