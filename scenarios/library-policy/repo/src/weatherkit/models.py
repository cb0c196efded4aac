# SPDX-License-Identifier: Apache-2.0
"""Data returned by the client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Observation:
    city: str
    observed_at: datetime
    temperature_c: float
    humidity: float
    wind_kph: float
    summary: str


@dataclass(frozen=True)
class DailyForecast:
    city: str
    day: str
    min_c: float
    max_c: float
    summary: str
