"""Read a TOML file, with errors that name it (tomllib, or tomli before Python 3.11)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from charter.hooks.errors import CharterError


def _tomllib() -> Any:
    """tomllib (tomli before Python 3.11), imported on first use: a hook whose
    configuration files are unchanged never parses them (settings.py, issue 15)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    return tomllib


def read(path: Path) -> dict[str, Any]:
    return parse(read_bytes(path), path.name)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CharterError(f"{path.name}: cannot read: {exc.strerror}") from None


def parse(data: bytes, name: str) -> dict[str, Any]:
    """The TOML document in ``data`` (the bytes of the file ``name``, from the disk or a
    snapshot); a ``CharterError`` naming the file and the line when it is not valid."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CharterError(
            f"{name}:{line}: not valid UTF-8 ({exc.reason}): TOML files are UTF-8; save it as UTF-8"
        ) from None
    tomllib = _tomllib()
    try:
        return tomllib.loads(text)  # type: ignore[no-any-return]
    except tomllib.TOMLDecodeError as exc:
        raise CharterError(f"{name}: invalid TOML: {exc}") from None


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text; a ``ValueError`` (``TOMLDecodeError``) when it is not valid."""
    return _tomllib().loads(text)  # type: ignore[no-any-return]


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
