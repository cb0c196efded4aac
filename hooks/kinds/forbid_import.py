"""forbid-import: modules matching ``from`` must not import modules matching ``to``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from charter.hooks.kinds.import_rules import Rule, forbidden, matcher
from charter.hooks.kinds.kind import (
    Fields,
    Kind,
    ModuleName,
    Reads,
    Rewrite,
    Strictness,
    each,
    or_list,
)

if TYPE_CHECKING:
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.view import SnapshotView


def check(active: ActiveConstraint, view: SnapshotView, paths: Sequence[str]) -> Iterator[Finding]:
    constraint = active.constraint
    rule = Rule(
        matcher(constraint.from_),
        constraint.to,
        constraint.transitive,
        constraint.allow_type_checking,
        lambda source, target: f"{source} imports {target}",
    )
    yield from forbidden(active, view, set(paths), rule)


def instruction(f: Fields) -> str:
    indirect = " (not even indirectly)" if f.get("transitive") else ""
    text = f"Do not import {or_list(f.get('to'))} from {or_list(f.get('from'))}{indirect}"
    if f.get("allow_type_checking"):
        text += " (imports under `if TYPE_CHECKING:` are allowed)"
    return text


def modules(f: Fields) -> Iterator[ModuleName]:
    yield from each("from", f.get("from", ()), first_party=True)
    yield from each("to", f.get("to", ()), first_party=False)


def fix(constraint: Any, found: Finding) -> Rewrite:
    """Every forbidden module imported in the file becomes the ``replacement`` module."""
    return Rewrite(modules={target: constraint.replacement for target in constraint.to})


def _model() -> type[ConstraintBase]:
    from charter.hooks.decisions.model import ForbidImport

    return ForbidImport


KIND = Kind(
    name="forbid-import",
    model=_model,
    reads=Reads.IMPORT_GRAPH,
    check=check,
    strictness={
        "from_": Strictness.KEEPS,
        "to": Strictness.KEEPS,
        "transitive": Strictness.STAYS_TRUE,
        "allow_type_checking": Strictness.STAYS_FALSE,
    },
    instruction=instruction,
    modules=modules,
    fix=fix,
)
