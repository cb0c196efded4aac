"""Table definitions."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Integer, MetaData, Numeric, String, Table

metadata = MetaData()

rooms = Table(
    "rooms",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("capacity", Integer, nullable=False),
    Column("base_rate", Numeric(10, 2), nullable=False),
)

guests = Table(
    "guests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("email", String(200), nullable=False, unique=True),
)

bookings = Table(
    "bookings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("room_id", ForeignKey("rooms.id"), nullable=False),
    Column("guest_id", ForeignKey("guests.id"), nullable=False),
    Column("check_in", Date, nullable=False),
    Column("check_out", Date, nullable=False),
    Column("total", Numeric(10, 2), nullable=False),
    Column("status", String(20), nullable=False, default="confirmed"),
)
