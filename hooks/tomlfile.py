"""Read a TOML file, with errors that name it (tomllib, or tomli before Python 3.11)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
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
    except UnicodeDecodeError as exc:
        line = stream_line(path, exc.start)
        raise CharterError(
            f"{path.name}:{line}: not valid UTF-8 ({exc.reason}): TOML files are UTF-8; "
            "save it as UTF-8"
        ) from None
    except OSError as exc:
        raise CharterError(f"{path.name}: cannot read: {exc.strerror}") from None
    return data


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text; a ``ValueError`` (``TOMLDecodeError``) when it is not valid."""
    return tomllib.loads(text)


def stream_line(path: Path, offset: int) -> int:
    """The line holding byte ``offset`` of ``path`` (1 when it cannot be read)."""
    try:
        return path.read_bytes()[:offset].count(b"\n") + 1
    except OSError:
        return 1


def table(document: Mapping[str, Any], *keys: str) -> Mapping[str, Any] | None:
    """``document[keys[0]][keys[1]]...`` when every step is a table; None when absent.

    A ``TypeError`` names the dotted key when a step holds something else (``tool = 1``).
    """
    node: Any = document
    for depth, key in enumerate(keys):
        node = node.get(key)
        if node is None:
            return None
        if not isinstance(node, Mapping):
            dotted = ".".join(keys[: depth + 1])
            raise TypeError(f"{dotted!r} must be a table ([{dotted}]), not {node!r}")
    return node  # type: ignore[no-any-return]
