from __future__ import annotations

from invoicing.domain import clock
from invoicing.domain.invoice import Invoice
from invoicing.repositories import invoices


def invoices_to_remind() -> list[Invoice]:
    return invoices.overdue(clock.today())
