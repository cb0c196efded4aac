"""Room routes."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from bookings.api.deps import room_service
from bookings.api.schemas import RoomOut
from bookings.services.rooms import RoomService

router = APIRouter(prefix="/rooms")


@router.get("", response_model=list[RoomOut])
def list_rooms(service: RoomService = Depends(room_service)) -> list[RoomOut]:
    return [RoomOut(id=r.id, name=r.name, capacity=r.capacity) for r in service.listing()]
