from datetime import date, datetime

TODAY = date.today()


def stamp():
    return datetime.now().isoformat()
