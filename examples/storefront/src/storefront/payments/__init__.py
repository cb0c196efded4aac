"""Payments: the gateway to the payment provider."""
