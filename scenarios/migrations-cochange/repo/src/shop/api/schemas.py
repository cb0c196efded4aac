"""The public API's request and response bodies (documented in docs/api.md)."""

from __future__ import annotations

from pydantic import BaseModel


class OrderIn(BaseModel):
    customer_id: int
    total_cents: int


class OrderOut(BaseModel):
    id: int
    customer_id: int
    total_cents: int
    status: str
