"""Order endpoints."""

from fastapi import APIRouter

from storefront.api.schemas import OrderOut
from storefront.services import checkout

router = APIRouter(prefix="/v1/orders")


@router.post("")
def place_order(cart_id: int) -> OrderOut:
    order = checkout.place_order(cart_id)
    return OrderOut(id=order.id, total=str(order.total.amount))
