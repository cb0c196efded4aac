"""The one settings object, read from the environment at start-up."""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    database_url: str = os.environ.get("DATABASE_URL", "sqlite://")
    payment_api_key: str = os.environ.get("PAYMENT_API_KEY", "")


settings = Settings()
