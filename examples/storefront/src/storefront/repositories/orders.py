"""Order repository."""

from decimal import Decimal

from storefront.db.session import session
from storefront.domain.money import Money
from storefront.domain.order import Order

ORDER_FROM_CART = "SELECT id, total FROM carts WHERE id = :id"


def order_from_cart(cart_id: int) -> Order:
    row = session().execute(ORDER_FROM_CART, {"id": cart_id}).one()
    return Order(id=row.id, total=Money(Decimal(row.total)))


def save(order: Order) -> None:
    session().merge(order)
