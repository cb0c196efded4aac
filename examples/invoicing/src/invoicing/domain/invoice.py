from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Invoice:
    number: str
    customer_id: int
    amount: Decimal
    due: datetime.date
    paid: bool = False

    def is_overdue(self, today: datetime.date) -> bool:
        return not self.paid and self.due < today
