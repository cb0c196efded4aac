"""Response models."""

from pydantic import BaseModel


class OrderOut(BaseModel):
    id: int
    total: str


class ProductOut(BaseModel):
    id: int
    name: str
    price: str
