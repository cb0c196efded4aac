"""Order operations."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from shop.db.tables import orders
from shop.models.order import Order


def get_order(session: Session, order_id: int) -> Order | None:
    row = session.execute(select(orders).where(orders.c.id == order_id)).first()
    if row is None:
        return None
    m = row._mapping
    return Order(m["id"], m["customer_id"], m["total_cents"], m["status"], m["created_at"])


def create_order(session: Session, customer_id: int, total_cents: int) -> Order:
    result = session.execute(insert(orders).values(customer_id=customer_id, total_cents=total_cents))
    session.commit()
    return get_order(session, result.inserted_primary_key[0])
