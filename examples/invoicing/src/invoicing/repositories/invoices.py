from __future__ import annotations

import datetime

from invoicing.db.session import session
from invoicing.db.tables import InvoiceRow
from invoicing.domain.invoice import Invoice


def _to_domain(row: InvoiceRow) -> Invoice:
    return Invoice(row.number, row.customer_id, row.amount, row.due, row.paid)


def overdue(today: datetime.date) -> list[Invoice]:
    with session() as db:
        rows = db.query(InvoiceRow).filter(InvoiceRow.due < today, InvoiceRow.paid.is_(False))
        return [_to_domain(row) for row in rows]
