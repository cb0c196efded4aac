import datetime


def stamp():
    return (datetime.datetime.now(), datetime.date(2026, 1, 1))
