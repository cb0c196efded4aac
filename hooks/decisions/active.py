"""A constraint in force, as the engine's kinds see it (no pydantic needed).

``constraint`` holds the constraint's fields by name (``from_``, ``to``, ...): the
pydantic model when the decisions were just validated, or a plain record rebuilt from
the compiled-decisions cache (see ``compile.py``), which keeps the commit hook free of
pydantic and YAML on the hot path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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


def first_party_names(active: Iterable[ActiveConstraint]) -> Iterator[str]:
    """Module names that must name first-party modules: the ``from`` of forbid-import,
    the layers (in each container), the modules of independent, the packages of acyclic.
    """
    for item in active:
        fields = item.constraint
        if item.kind == "forbid-import":
            yield from fields.from_
        elif item.kind == "layers":
            for layer in fields.layers:
                for name in (layer,) if isinstance(layer, str) else layer:
                    for container in fields.containers or ("",):
                        yield f"{container}.{name}" if container else name
        elif item.kind == "independent":
            yield from fields.modules
        elif item.kind == "acyclic":
            yield from fields.packages
