"""The one place that reads the wall clock, so tests can freeze time."""

from __future__ import annotations

import datetime


def today() -> datetime.date:
    return datetime.datetime.now(tz=datetime.timezone.utc).date()
