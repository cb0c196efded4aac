# SPDX-License-Identifier: Apache-2.0
"""The one place that reads the wall clock, so tests can freeze it."""

from __future__ import annotations

import datetime as _dt

_frozen: _dt.datetime | None = None


def now() -> _dt.datetime:
    """The current time, timezone-aware (UTC)."""
    return _frozen or _dt.datetime.now(_dt.timezone.utc)


def freeze(at: _dt.datetime | None) -> None:
    """Tests: make now() return `at` (None to unfreeze)."""
    global _frozen
    _frozen = at
