"""Errors the services raise; the API maps them to HTTP responses."""


class BookingError(Exception):
    """Base class of the service's expected errors."""


class InvalidDates(BookingError):
    """Check-out is not after check-in."""
