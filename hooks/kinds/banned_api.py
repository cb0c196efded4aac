"""banned-api: uses of fully qualified names, aliases resolved.

A call, an attribute access or an import of a banned name (or of something inside
it) is a finding, keyed by the banned name. With a ``replacement``, ``charter fix``
rewrites the use.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from charter.hooks.kinds.kind import Fields, Kind, Reads, Rewrite, Strictness, finding, or_list

if TYPE_CHECKING:
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.view import SnapshotView


def check(active: ActiveConstraint, view: SnapshotView, paths: Sequence[str]) -> Iterator[Finding]:
    constraint = active.constraint
    banned = frozenset(constraint.names)
    instead = f"; use {constraint.replacement}" if constraint.replacement else ""
    for path in paths:
        facts = view.facts(path)
        for imp in facts.imports:
            imported = [imp.module] if not imp.names else [f"{imp.module}.{n}" for n in imp.names]
            for name in imported:
                if name in banned:
                    message = f"imports banned {name}{instead}"
                    yield finding(active, path, imp.line, imp.col, message, name)
        for use in facts.uses:
            if use.name in banned:
                message = f"uses banned {use.name}{instead}"
                yield finding(active, path, use.line, use.col, message, use.name)


def instruction(f: Fields) -> str:
    text = f"Do not use {or_list(f.get('names'))}"
    if f.get("replacement"):
        text += f"; use {f['replacement']} instead"
    return text


def fix(constraint: Any, found: Finding) -> Rewrite:
    """The banned name (the finding's key) becomes the ``replacement``."""
    return Rewrite(names={found.key: constraint.replacement})


def _model() -> type[ConstraintBase]:
    from charter.hooks.decisions.model import BannedApi

    return BannedApi


KIND = Kind(
    name="banned-api",
    model=_model,
    reads=Reads.PYTHON_FACTS,
    check=check,
    strictness={"names": Strictness.KEEPS},
    instruction=instruction,
    fix=fix,
)
