"""The database schema. Every change here needs a migration in migrations/versions/."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, func

metadata = MetaData()

customers = Table(
    "customers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("email", String(200), nullable=False, unique=True),
)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("total_cents", Integer, nullable=False),
    Column("status", String(20), nullable=False, server_default="open"),
    Column("legacy_ref", String(40), nullable=True),
    Column("created_at", DateTime, nullable=False, server_default=func.now()),
    CheckConstraint("status IN ('open', 'paid', 'shipped', 'cancelled')", name="ck_orders_status"),
)
