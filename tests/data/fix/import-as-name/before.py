from app import db, services
from ..db import session


def handler():
    return db.query(session, services.billing)
