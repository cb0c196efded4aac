# SPDX-License-Identifier: Apache-2.0
"""The public client."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from weatherkit import http
from weatherkit.models import Observation

BASE_URL = "https://api.opensky-weather.example/v2"


class WeatherClient:
    def __init__(self, api_key: str, base_url: str = BASE_URL, timeout: float = http.DEFAULT_TIMEOUT) -> None:
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _get(self, path: str, **params: Any) -> Any:
        params["key"] = self.api_key
        return http.get(f"{self.base_url}{path}", params=params, timeout=self.timeout)

    def current(self, city: str) -> Observation:
        data = self._get("/current", q=city)
        return Observation(
            city=data["location"]["name"],
            observed_at=datetime.fromisoformat(data["current"]["observed_at"]),
            temperature_c=data["current"]["temp_c"],
            humidity=data["current"]["humidity"],
            wind_kph=data["current"]["wind_kph"],
            summary=data["current"]["condition"],
        )
