"""A constraint in force, as the engine's kinds see it (no pydantic needed).

``constraint`` holds the constraint's fields by name (``from_``, ``to``, ...): the
pydantic model when the decisions were just validated, or a plain record rebuilt from
the compiled-decisions cache (see ``compile.py``), which keeps the commit hook free of
pydantic and YAML on the hot path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from charter.hooks.decisions.levels import levels


@dataclass(frozen=True)
class ActiveConstraint:
    id: str  # e.g. ADR-0007/1
    index: int  # position in the decision's constraints list
    severity: Literal["error", "warning"]
    kind: str
    constraint: Any  # the constraint's fields, by attribute
    decision: str  # the decision's id
    source: str  # the decision file, repository-relative
    scope: tuple[str, ...]  # the decision's scope globs (empty: everything)


def named_modules(
    active: Iterable[ActiveConstraint], expand: Callable[[str], Iterable[str]] = lambda c: (c,)
) -> Iterator[tuple[str, bool]]:
    """(module name, must it be first-party) for each module an import rule names.

    Every such name must exist, as in import-linter, unless the constraint lists it in
    ``optional``: one that must be first-party always, any other when its top-level
    package is first-party (a misspelt ``to`` inside the project silently checks
    nothing). The layers are named in each container; ``expand`` names the containers
    a wildcard container stands for (each must hold every layer, as in import-linter).
    """
    for item in active:
        fields = item.constraint
        optional = set(getattr(fields, "optional", ()) or ())
        for name, strict in _names(item.kind, fields, expand):
            if name not in optional and name.rpartition(".")[2] not in optional:
                yield name, strict


def _names(
    kind: str, fields: Any, expand: Callable[[str], Iterable[str]]
) -> Iterator[tuple[str, bool]]:
    if kind == "forbid-import":
        yield from ((name, True) for name in fields.from_)
        yield from ((name, False) for name in fields.to)
    elif kind == "layers":
        for level in levels(fields.layers):
            for name in level.names:
                for container in _containers(fields.containers, expand):
                    yield (f"{container}.{name}" if container else name), True
    elif kind in ("independent", "protected-modules"):
        yield from ((name, kind == "independent") for name in fields.modules)
    elif kind == "acyclic":
        yield from ((name, True) for name in (*fields.packages, *fields.skip_descendants))
    elif kind == "private-modules":
        yield from ((name, True) for name in fields.packages)


def _containers(patterns: Iterable[str], expand: Callable[[str], Iterable[str]]) -> list[str]:
    if not patterns:
        return [""]
    found = [c for pattern in patterns for c in (expand(pattern) if "*" in pattern else (pattern,))]
    return found or list(patterns)
