# SPDX-License-Identifier: Apache-2.0
"""HTTP calls: always with a timeout, retried on 503."""

from __future__ import annotations

from typing import Any

import requests

from weatherkit.errors import ApiError, NotFound

DEFAULT_TIMEOUT = 10.0
_session = requests.Session()


def get(url: str, params: dict[str, Any] | None = None, timeout: float = DEFAULT_TIMEOUT) -> Any:
    """GET `url` and return the decoded JSON body."""
    for _ in range(2):
        response = _session.get(url, params=params, timeout=timeout)
        if response.status_code != 503:
            break
    if response.status_code == 404:
        raise NotFound(404, url)
    if response.status_code >= 400:
        raise ApiError(response.status_code, response.text[:200])
    return response.json()
