"""Database sessions."""

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from storefront.config.settings import settings


def session() -> Session:
    return Session(create_engine(settings.database_url))
