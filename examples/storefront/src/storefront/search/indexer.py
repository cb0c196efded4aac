"""Updates the search index from ProductChanged events."""

import logging

log = logging.getLogger(__name__)


def on_product_changed(product_id: int) -> None:
    log.info("reindex product=%s", product_id)
