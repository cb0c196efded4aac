"""The registry of constraint kinds: one module per kind, each declaring ``KIND``.

Adding a kind is adding its module: the registry finds every module of this package
that declares ``KIND`` (see CONTRIBUTING.md). Everything else (the engine, governance,
validation, the decision model's union, agent context, ``charter fix``) asks ``KINDS``.

``KINDS`` imports a kind's module when the kind is first asked for by name (a kind
named ``banned-api`` lives in ``banned_api.py``), so a commit hook imports the kinds in
force and no other; listing every kind (iterating, ``len``, an unknown name) imports
them all.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING

from charter.hooks.constraint.active import ActiveConstraint
from charter.hooks.kinds.kind import Kind, ModuleName, Reads, yaml_fields

if TYPE_CHECKING:
    from charter.hooks.findings import Finding
    from charter.hooks.source.changes import Change


class _Registry(Mapping[str, Kind]):
    """Every kind by name, in the kinds' rank order; each module imported on first use."""

    def __init__(self) -> None:
        self._named: dict[str, Kind] = {}  # the kinds asked for so far
        self._every: dict[str, Kind] | None = None

    def __getitem__(self, name: str) -> Kind:
        kind = self._named.get(name)
        if kind is None:
            kind = self._own_module(name) or self._all()[name]
            self._named[name] = kind
        return kind

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        return name in self._named or self._own_module(name) is not None or name in self._all()

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def _own_module(self, name: str) -> Kind | None:
        """The kind declared by the module named after it, if that module declares it."""
        module_name = name.replace("-", "_")
        if not module_name.isidentifier() or not _has_module(module_name):
            return None
        kind = getattr(importlib.import_module(f"{__name__}.{module_name}"), "KIND", None)
        return kind if isinstance(kind, Kind) and kind.name == name else None

    def _all(self) -> dict[str, Kind]:
        if self._every is None:
            self._every = _discover()
        return self._every


@cache
def _module_names() -> frozenset[str]:
    import pkgutil  # listing them all is for _discover; a hook looks up one name

    return frozenset(info.name for info in pkgutil.iter_modules(__path__))


def _has_module(name: str) -> bool:
    """Whether this package has a module ``name`` (one of ``_module_names()``)."""
    try:
        return importlib.util.find_spec(f"{__name__}.{name}") is not None
    except (ImportError, ValueError):
        return False


def _discover() -> dict[str, Kind]:
    """Every module of this package that declares ``KIND``, in the kinds' rank order."""
    found: list[Kind] = []
    for name in sorted(_module_names()):
        module = importlib.import_module(f"{__name__}.{name}")
        kind = getattr(module, "KIND", None)
        if isinstance(kind, Kind):
            found.append(kind)
    return {kind.name: kind for kind in sorted(found, key=lambda kind: (kind.rank, kind.name))}


KINDS: Mapping[str, Kind] = _Registry()


def judges_change(name: str) -> bool:
    """Whether the kind ``name`` judges a change rather than a snapshot (the commit-msg
    hook runs those); False for what is not a kind (a governance or syntax finding)."""
    return name in KINDS and KINDS[name].reads is Reads.CHANGE


def __getattr__(name: str) -> frozenset[str]:
    # ``CHANGE_KINDS`` needs every kind's module: built only when someone asks for it.
    if name == "CHANGE_KINDS":
        return frozenset(kind.name for kind in KINDS.values() if kind.reads is Reads.CHANGE)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    "judges_change",
    "kind_of",
    "module_names",
]
