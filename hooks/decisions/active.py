"""A constraint in force, as the engine's kinds see it (no pydantic needed).

``constraint`` holds the constraint's fields by name (``from_``, ``to``, ...): the
pydantic model when the decisions were just validated, or a plain record rebuilt from
the compiled-decisions cache (see ``compile.py``), which keeps the commit hook free of
pydantic and YAML on the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


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
