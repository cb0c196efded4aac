"""The layers of a ``layers`` constraint, read without pydantic (the hook's hot path)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    """One layer: its module names, and whether they must not import each other."""

    names: tuple[str, ...]
    independent: bool = True


def levels(layers: Sequence[str | Sequence[str]]) -> tuple[Level, ...]:
    """The layers of a ``layers`` field, highest first.

    A list holds independent siblings; a string ``'a : b'`` holds siblings that may
    import each other, and ``'a | b'`` independent ones (import-linter's syntax).
    """
    found = []
    for layer in layers:
        if not isinstance(layer, str):
            found.append(Level(tuple(layer)))
        elif ":" in layer:
            found.append(Level(tuple(n.strip() for n in layer.split(":")), independent=False))
        else:
            found.append(Level(tuple(n.strip() for n in layer.split("|"))))
    return tuple(found)
