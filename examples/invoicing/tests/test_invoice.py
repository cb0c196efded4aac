import datetime
from decimal import Decimal

from invoicing.domain.invoice import Invoice


def test_overdue_when_unpaid_after_due_date() -> None:
    invoice = Invoice("A-1", 7, Decimal("10.00"), datetime.date(2026, 1, 1))
    assert invoice.is_overdue(datetime.date(2026, 1, 2))
