"""Product repository."""

from storefront.db.models import ProductRow
from storefront.db.session import session
from storefront.domain.money import Money
from storefront.domain.order import Product


def get(product_id: int) -> Product:
    row = session().get(ProductRow, product_id)
    return Product(id=row.id, name=row.name, price=Money(row.price))
