from app import repositories as db, services
from app.repositories import session


def handler():
    return db.query(session, services.billing)
