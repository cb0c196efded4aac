"""Read a TOML file, with errors that name it (tomllib, or tomli before Python 3.11)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from charter.hooks.errors import CharterError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


def read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            data: dict[str, Any] = tomllib.load(stream)
    except tomllib.TOMLDecodeError as exc:
        raise CharterError(f"{path.name}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise CharterError(f"{path.name}: cannot read: {exc.strerror}") from None
    return data


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text; a ``ValueError`` (``TOMLDecodeError``) when it is not valid."""
    return tomllib.loads(text)
