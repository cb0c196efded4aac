from __future__ import annotations

from fastapi import APIRouter

from invoicing.services import reminders

router = APIRouter()


@router.get("/invoices/overdue")
def list_overdue() -> list[dict[str, str]]:
    return [
        {"number": invoice.number, "due": invoice.due.isoformat()}
        for invoice in reminders.invoices_to_remind()
    ]
