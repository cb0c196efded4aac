"""Transactional emails."""

import logging

log = logging.getLogger(__name__)


def order_confirmed(order_id: int, address: str) -> None:
    log.info("email queued order=%s to=%s", order_id, address)
