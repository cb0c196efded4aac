"""Room listings."""

from __future__ import annotations

from bookings.domain.models import Room
from bookings.repositories.rooms import RoomRepository


class RoomService:
    def __init__(self, rooms: RoomRepository) -> None:
        self.rooms = rooms

    def listing(self) -> list[Room]:
        return self.rooms.list_all()
