"""The registry of constraint kinds: one module per kind, each declaring ``KIND``.

Adding a kind is adding its module: the registry finds every module of this package
that declares ``KIND`` (see CONTRIBUTING.md). Everything else (the engine, governance,
validation, the decision model's union, agent context, ``charter fix``) asks ``KINDS``.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from charter.hooks.constraint.active import ActiveConstraint
from charter.hooks.kinds.kind import Kind, ModuleName, Reads, yaml_fields

if TYPE_CHECKING:
    from charter.hooks.findings import Finding
    from charter.hooks.source.changes import Change


def _discover() -> dict[str, Kind]:
    """Every module of this package that declares ``KIND``, in the kinds' rank order."""
    found: list[Kind] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, Kind):
            found.append(kind)
    return {kind.name: kind for kind in sorted(found, key=lambda kind: (kind.rank, kind.name))}


KINDS: dict[str, Kind] = _discover()
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
