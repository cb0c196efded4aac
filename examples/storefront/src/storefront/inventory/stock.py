"""Stock reservations."""

from storefront.domain.clock import now


def reserve(product_id: int, quantity: int) -> dict[str, object]:
    return {"product": product_id, "quantity": quantity, "at": now().isoformat()}
