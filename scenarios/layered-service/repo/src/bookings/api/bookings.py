"""Booking routes."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException

from bookings.api.deps import booking_service
from bookings.api.schemas import BookingIn, BookingOut
from bookings.domain.errors import BookingError
from bookings.services.bookings import BookingService

router = APIRouter(prefix="/bookings")


@router.post("", response_model=BookingOut, status_code=201)
def create_booking(body: BookingIn, service: BookingService = Depends(booking_service)):
    try:
        booking = service.create(body.room_id, body.guest_id, body.check_in, body.check_out)
    except BookingError as error:
        raise HTTPException(status_code=422, detail=str(error)) from error
    return BookingOut(**booking.__dict__)


@router.get("/{booking_id}", response_model=BookingOut)
def get_booking(booking_id: int, service: BookingService = Depends(booking_service)):
    booking = service.get(booking_id)
    if booking is None:
        raise HTTPException(status_code=404, detail="no such booking")
    return BookingOut(**booking.__dict__)
