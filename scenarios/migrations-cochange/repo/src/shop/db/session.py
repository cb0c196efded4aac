"""Engine and sessions."""

from __future__ import annotations

import os

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

engine = create_engine(os.environ.get("SHOP_DATABASE_URL", "sqlite:///shop.db"))
Session = sessionmaker(bind=engine)
