"""The FastAPI application."""

from __future__ import annotations

from fastapi import FastAPI

from bookings.api import bookings, rooms

app = FastAPI(title="bookings")
app.include_router(rooms.router)
app.include_router(bookings.router)
