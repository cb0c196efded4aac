"""Creating and cancelling bookings."""

from __future__ import annotations

from datetime import date

from bookings.domain.errors import BookingError
from bookings.domain.models import Booking
from bookings.repositories.bookings import BookingRepository
from bookings.repositories.rooms import RoomRepository
from bookings.services.pricing import stay_price


class BookingService:
    def __init__(self, bookings: BookingRepository, rooms: RoomRepository) -> None:
        self.bookings = bookings
        self.rooms = rooms

    def create(self, room_id: int, guest_id: int, check_in: date, check_out: date) -> Booking:
        room = self.rooms.get(room_id)
        if room is None:
            raise BookingError(f"no room {room_id}")
        total = stay_price(room, check_in, check_out)
        booking = Booking(0, room_id, guest_id, check_in, check_out, total)
        return self.bookings.add(booking)

    def get(self, booking_id: int) -> Booking | None:
        return self.bookings.get(booking_id)
