"""The payment gateway: the only user of the provider's SDK."""

import stripe

from storefront.domain.money import Money


def charge(order_id: int, amount: Money) -> str:
    intent = stripe.PaymentIntent.create(
        amount=int(amount.amount * 100), currency=amount.currency, metadata={"order": order_id}
    )
    return str(intent.id)
