"""Money: a Decimal amount and a currency."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = "EUR"

    def __add__(self, other: "Money") -> "Money":
        return Money(self.amount + other.amount, self.currency)
