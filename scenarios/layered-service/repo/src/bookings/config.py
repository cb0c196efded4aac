"""Settings read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    database_url: str = os.environ.get("BOOKINGS_DATABASE_URL", "sqlite:///bookings.db")
    smtp_host: str = os.environ.get("BOOKINGS_SMTP_HOST", "localhost")
    sender: str = os.environ.get("BOOKINGS_SENDER", "bookings@example.com")


settings = Settings()
