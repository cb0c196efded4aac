"""Persistence: the only code that talks to bookings.db."""
