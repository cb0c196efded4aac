"""Catalog management."""

from storefront.domain.order import Product
from storefront.repositories import products


def get_product(product_id: int) -> Product:
    return products.get(product_id)
