from datetime import date
from app.clock import now

TODAY = date.today()


def stamp():
    return now().isoformat()
