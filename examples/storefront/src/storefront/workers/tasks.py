"""Background tasks (idempotent: they are retried)."""

from celery import shared_task

from storefront.notifications import email


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True)
def send_order_confirmation(order_id: int, address: str) -> None:
    email.order_confirmed(order_id, address)
