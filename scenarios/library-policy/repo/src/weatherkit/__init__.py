# SPDX-License-Identifier: Apache-2.0
"""weatherkit: a client for the OpenSky weather API."""

from weatherkit.client import WeatherClient
from weatherkit.errors import WeatherError
from weatherkit.models import Observation

__all__ = ["Observation", "WeatherClient", "WeatherError"]
__version__ = "2.3.1"
