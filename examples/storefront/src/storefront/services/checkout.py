"""Checkout: cart -> order -> payment."""

from storefront.domain.order import Order
from storefront.payments import gateway
from storefront.repositories import orders


def place_order(cart_id: int) -> Order:
    order = orders.order_from_cart(cart_id)
    gateway.charge(order.id, order.total)
    orders.save(order)
    return order
