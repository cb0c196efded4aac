"""HTTP routes."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from shop.api.schemas import OrderIn, OrderOut
from shop.db.session import Session
from shop.services import orders

router = APIRouter()


@router.get("/orders/{order_id}", response_model=OrderOut)
def get_order(order_id: int) -> OrderOut:
    with Session() as session:
        order = orders.get_order(session, order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="no such order")
    return OrderOut(**order.__dict__)


@router.post("/orders", response_model=OrderOut, status_code=201)
def create_order(body: OrderIn) -> OrderOut:
    with Session() as session:
        return OrderOut(**orders.create_order(session, body.customer_id, body.total_cents).__dict__)
