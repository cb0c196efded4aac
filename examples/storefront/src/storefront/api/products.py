"""Product endpoints."""

from fastapi import APIRouter

from storefront.api.schemas import ProductOut
from storefront.services import catalog

router = APIRouter(prefix="/v1/products")


@router.get("/{product_id}")
def get_product(product_id: int) -> ProductOut:
    product = catalog.get_product(product_id)
    return ProductOut(id=product.id, name=product.name, price=str(product.price.amount))
