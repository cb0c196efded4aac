"""A constraint in force, as the engine's kinds see it (no pydantic needed).

``constraint`` holds the constraint's fields by name (``from_``, ``to``, ...): the
pydantic model when the decisions were just validated, or a plain record rebuilt from
the compiled-decisions cache (see ``compile.py``), which keeps the commit hook free of
pydantic and YAML on the hot path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from charter.hooks.globs import GlobSet


@dataclass(frozen=True)
class ActiveConstraint:
    """One constraint in force: its decision, where it is written and its compiled fields."""

    id: str  # e.g. ADR-0007/1
    index: int  # position in the decision's constraints list
    severity: Literal["error", "warning"]
    kind: str
    constraint: Any  # the constraint's fields, by attribute
    decision: str  # the decision's id
    source: str  # the decision file, repository-relative
    scope: tuple[str, ...]  # the decision's scope globs (empty: everything)


def governs(active: ActiveConstraint) -> Callable[[str], bool]:
    """Whether a path is in a constraint's scope: the decision's, its paths and exclude."""
    scope = GlobSet(active.scope)
    paths = GlobSet(active.constraint.paths)
    exclude = GlobSet(active.constraint.exclude)

    def covered(path: str) -> bool:
        return (
            (not scope or scope.match(path))
            and (not paths or paths.match(path))
            and not exclude.match(path)
        )

    return covered
