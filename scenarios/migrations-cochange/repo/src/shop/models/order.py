"""Orders as the services see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Order:
    id: int
    customer_id: int
    total_cents: int
    status: str
    created_at: datetime

    @property
    def is_open(self) -> bool:
        return self.status == "open"
