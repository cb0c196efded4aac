# SPDX-License-Identifier: Apache-2.0
"""Exceptions raised by weatherkit."""


class WeatherError(Exception):
    """Base class of every error weatherkit raises."""


class ApiError(WeatherError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class NotFound(ApiError):
    """The city or station is unknown."""
