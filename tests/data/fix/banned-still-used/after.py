import datetime
from app.clock import now


def stamp():
    return (now(), datetime.date(2026, 1, 1))
