"""The registry of constraint kinds: one module per kind, each declaring ``KIND``.

Adding a kind is adding its module and one line to ``_MODULES`` (and its front-matter
model to ``decisions/model.py``); see CONTRIBUTING.md. Everything else (the engine,
governance, validation, agent context, ``charter fix``) asks ``KINDS``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from charter.hooks.decisions.active import ActiveConstraint
from charter.hooks.kinds import (
    acyclic,
    banned_api,
    co_change,
    dependencies,
    file_placement,
    forbid_import,
    forbid_pattern,
    independent,
    layers,
    plugin,
    private_modules,
    protected,
    protected_modules,
    require_pattern,
    ruff,
)
from charter.hooks.kinds.kind import Kind, ModuleName, Reads, yaml_fields

if TYPE_CHECKING:
    from charter.hooks.findings import Finding
    from charter.hooks.source.changes import Change

# In the order of the front-matter union in decisions/model.py (the JSON Schema's order).
_MODULES = (
    forbid_import,
    layers,
    independent,
    acyclic,
    protected_modules,
    private_modules,
    banned_api,
    dependencies,
    file_placement,
    forbid_pattern,
    require_pattern,
    ruff,
    protected,
    co_change,
    plugin,
)

KINDS: dict[str, Kind] = {module.KIND.name: module.KIND for module in _MODULES}
# The kinds that judge a change rather than a snapshot (the commit-msg hook runs them).
CHANGE_KINDS = frozenset(kind.name for kind in KINDS.values() if kind.reads is Reads.CHANGE)


def kind_of(name: str) -> Kind:
    return KINDS[name]


def module_names(active: ActiveConstraint) -> Iterator[ModuleName]:
    """The module names a constraint in force names, in the order they are written."""
    return KINDS[active.kind].modules(yaml_fields(active.constraint))


def first_party_names(active: Iterable[ActiveConstraint]) -> Iterator[str]:
    """Module names that must name first-party modules (the rule checks their imports)."""
    for item in active:
        yield from (m.name for m in module_names(item) if m.first_party)


def change_findings(
    active: Iterable[ActiveConstraint], changed: Sequence[Change]
) -> Iterator[Finding]:
    """The findings of the kinds that judge a change, on the files it changes."""
    for item in active:
        check = KINDS[item.kind].check_change
        if check is not None:
            yield from check(item, changed)


__all__ = [
    "CHANGE_KINDS",
    "KINDS",
    "Kind",
    "Reads",
    "change_findings",
    "first_party_names",
    "kind_of",
    "module_names",
]
