"""Rooms storage."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bookings.db import tables
from bookings.domain.models import Room


class RoomRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, room_id: int) -> Room | None:
        row = self.session.execute(
            select(tables.rooms).where(tables.rooms.c.id == room_id)
        ).first()
        return Room(**row._mapping) if row else None

    def list_all(self) -> list[Room]:
        rows = self.session.execute(select(tables.rooms).order_by(tables.rooms.c.name))
        return [Room(**row._mapping) for row in rows]
