from __future__ import annotations

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

engine = create_engine("sqlite:///invoicing.db")
SessionLocal = sessionmaker(bind=engine)


def session() -> Session:
    return SessionLocal()
