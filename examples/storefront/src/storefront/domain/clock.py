"""The one place that reads the wall clock."""

import datetime


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)
