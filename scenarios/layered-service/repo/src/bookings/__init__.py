"""Room bookings service."""
