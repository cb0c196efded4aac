"""Orders and products."""

from dataclasses import dataclass

from storefront.domain.money import Money


@dataclass
class Product:
    id: int
    name: str
    price: Money


@dataclass
class Order:
    id: int
    total: Money
