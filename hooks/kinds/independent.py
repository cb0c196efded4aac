"""independent: the listed modules must not import each other."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from charter.hooks.kinds.import_rules import Rule, forbidden, matcher
from charter.hooks.kinds.kind import Fields, Kind, Reads, Strictness, each, join
from charter.hooks.source.modules import pattern_regex

if TYPE_CHECKING:
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.view import SnapshotView


def _members(patterns: Sequence[str], modules: Sequence[str]) -> list[str]:
    """Concrete modules named by patterns (a wildcard names each module it matches)."""
    members: list[str] = []
    for pattern in patterns:
        if "*" not in pattern:
            members.append(pattern)
            continue
        exact = pattern_regex(pattern, submodules=False)
        members.extend(m for m in modules if exact.match(m))
    return sorted(dict.fromkeys(members))


def check(active: ActiveConstraint, view: SnapshotView, paths: Sequence[str]) -> Iterator[Finding]:
    constraint = active.constraint
    in_scope = set(paths)
    members = _members(constraint.modules, sorted(view.index.modules))
    # As in import-linter, a chain that runs through another member is that member's.
    any_member = matcher(members)
    for member in members:
        others = [other for other in members if other != member]
        rule = Rule(
            matcher([member]),
            others,
            constraint.transitive,
            constraint.allow_type_checking,
            lambda source, target: f"{source} imports {target}; they must stay independent",
            any_member,
        )
        yield from forbidden(active, view, in_scope, rule)


def instruction(f: Fields) -> str:
    return f"Keep {join(f.get('modules'), 'and')} independent: none may import another"


def _model() -> type[ConstraintBase]:
    from charter.hooks.decisions.model import Independent

    return Independent


KIND = Kind(
    name="independent",
    model=_model,
    reads=Reads.IMPORT_GRAPH,
    check=check,
    strictness={
        "modules": Strictness.KEEPS,
        "transitive": Strictness.STAYS_TRUE,
        "allow_type_checking": Strictness.STAYS_FALSE,
    },
    instruction=instruction,
    modules=lambda f: each("modules", f.get("modules", ()), first_party=True),
)
