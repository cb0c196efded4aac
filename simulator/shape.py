"""Check that untrusted JSON has the shape a reader expects, before the reader sees it.

A results file is read back by ``charter sim report`` (possibly edited, truncated or
from another version): a wrong shape is an error naming the file and the first bad
place (``runs[2].tasks[0].iteration: expected a whole number, got '3'``), never a
``KeyError`` deep in the renderer.

A shape is a Python type (``int`` excludes ``bool``), a tuple of alternatives, a
one-item list (a list of that shape), a dict of required keys (``"key?"`` optional) or
``Each(shape)`` (a mapping from strings to that shape). ``Bounded`` caps an integer
whose value a reader turns into a loop or a list (an iteration number).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_NAMES = {
    int: "a whole number",
    float: "a number",
    str: "a string",
    bool: "true or false",
    list: "a list",
    dict: "an object",
    type(None): "null",
}


@dataclass(frozen=True)
class Each:
    """A JSON object whose every value has ``shape``."""

    shape: Any


@dataclass(frozen=True)
class Bounded:
    """A whole number from 0 to ``maximum``."""

    maximum: int


def problem(value: Any, shape: Any, where: str = "") -> str | None:
    """The first place where ``value`` departs from ``shape``, as a sentence, or None."""
    if isinstance(shape, tuple):
        if any(problem(value, option, where) is None for option in shape):
            return None
        wanted = " or ".join(_name(option) for option in shape)
        return _wrong(where, wanted, value)
    if isinstance(shape, Bounded):
        if not _is(value, int) or not 0 <= value <= shape.maximum:
            return _wrong(where, f"a whole number from 0 to {shape.maximum}", value)
        return None
    if isinstance(shape, list):
        if not isinstance(value, list):
            return _wrong(where, "a list", value)
        for index, item in enumerate(value):
            found = problem(item, shape[0], f"{where}[{index}]")
            if found:
                return found
        return None
    if isinstance(shape, (dict, Each)):
        if not isinstance(value, Mapping):
            return _wrong(where, "an object", value)
        return _mapping_problem(value, shape, where)
    return None if _is(value, shape) else _wrong(where, _name(shape), value)


def _mapping_problem(
    value: Mapping[str, Any], shape: dict[str, Any] | Each, where: str
) -> str | None:
    prefix = f"{where}." if where else ""
    if isinstance(shape, Each):
        for key, item in value.items():
            found = problem(item, shape.shape, f"{prefix}{key}")
            if found:
                return found
        return None
    for raw_key, item_shape in shape.items():
        key = raw_key.rstrip("?")
        if key not in value:
            if raw_key.endswith("?"):
                continue
            return f"{prefix}{key}: missing"
        found = problem(value[key], item_shape, f"{prefix}{key}")
        if found:
            return found
    return None


def _is(value: Any, kind: type) -> bool:
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _name(shape: Any) -> str:
    if isinstance(shape, list):
        return "a list"
    if isinstance(shape, (dict, Each)):
        return "an object"
    if isinstance(shape, Bounded):
        return "a whole number"
    return _NAMES.get(shape, getattr(shape, "__name__", str(shape)))


def _wrong(where: str, wanted: str, value: Any) -> str:
    text = repr(value)
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"{where or 'the document'}: expected {wanted}, got {text}"
