"""Check decisions against the repository they govern.

A glob that matches no file, or a module name that names no module, is almost always
a typo or a stale rule that silently checks nothing: each is reported at the line of
the field. ``deny`` globs are exempt: matching nothing is their aim. As in
import-linter, a module an import rule names that does not exist is an error
(``charter check`` stops on it too) when it must be first-party (``from``, ``layers``,
``modules``, ``packages``) or lies inside a first-party package (a misspelt ``to``),
unless the constraint lists it in ``optional`` (code still to be written). A ``to``
name that is neither first-party, a dependency nor installed, and a glob that matches
nothing, are warnings.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable, Iterator, Sequence

from charter.hooks.decisions.catalog import Catalog
from charter.hooks.decisions.levels import levels
from charter.hooks.decisions.load import DecisionFile
from charter.hooks.decisions.model import (
    Acyclic,
    CoChange,
    ConstraintBase,
    FilePlacement,
    ForbidImport,
    ForbidPattern,
    Independent,
    Layers,
    PrivateModules,
    ProtectedModules,
    Python,
    RequirePattern,
)
from charter.hooks.diagnostics import Problem, Severity, field_path
from charter.hooks.globs import compile_glob
from charter.hooks.source.modules import ModuleIndex
from charter.hooks.source.requirements import normalise

Loc = tuple[str | int, ...]


def check(
    catalog: Catalog,
    files: Sequence[str],
    index: ModuleIndex,
    declared: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Warnings for every glob and module name in force that matches nothing.

    ``declared`` holds the normalised names of the project's declared dependencies:
    a module name whose top level is one of them resolves.
    """
    problems: list[Problem] = []
    file_set = frozenset(files)
    for item in catalog.files:
        if catalog.enforcement(item) == "off":
            continue
        for loc, pattern in _globs(item):
            regex = compile_glob(pattern)
            if not any(regex.match(path) for path in files):
                problems.append(
                    Problem(
                        item.path,
                        item.line_of(*loc),
                        "warning",
                        f"{field_path(loc)}: glob {pattern!r} matches no file in the repository",
                    )
                )
        for loc, name, first_party_only in _modules(item, index):
            if loc[2] == "check" and _module_file(name, file_set):
                continue  # a plugin module at the repository root
            problem = _module_problem(name, index, first_party_only, declared)
            if problem:
                line = item.line_of(*loc)
                severity: Severity = (
                    "error"
                    if loc[2] != "check" and _must_exist(name, index, first_party_only)
                    else "warning"
                )
                problems.append(Problem(item.path, line, severity, f"{field_path(loc)}: {problem}"))
    return problems


def _globs(item: DecisionFile) -> Iterator[tuple[Loc, str]]:
    yield from _each(("scope",), item.decision.scope)
    for index, constraint in enumerate(item.decision.constraints):
        base: Loc = ("constraints", index)
        yield from _each((*base, "paths"), constraint.paths)
        yield from _each((*base, "exclude"), constraint.exclude)
        if isinstance(constraint, FilePlacement) and constraint.allow:
            yield from _each((*base, "allow"), constraint.allow)
        if isinstance(constraint, (ForbidPattern, RequirePattern)):
            yield from _each((*base, "files"), constraint.files)
        if isinstance(constraint, CoChange):
            yield from _each((*base, "when"), constraint.when)
            yield from _each((*base, "require"), constraint.require)


def _modules(item: DecisionFile, modules: ModuleIndex) -> Iterator[tuple[Loc, str, bool]]:
    """(location, module name, must it be first-party) for each module name."""
    for index, constraint in enumerate(item.decision.constraints):
        base: Loc = ("constraints", index)
        optional = set(getattr(constraint, "optional", ()))
        for loc, name in _module_fields(base, constraint, modules):
            if name in optional or name.rpartition(".")[2] in optional:
                continue
            strict = loc[2] in ("from", "layers", "modules", "packages", "skip_descendants")
            yield loc, name, strict and not isinstance(constraint, ProtectedModules)


def _containers(patterns: Sequence[str], index: ModuleIndex) -> list[str]:
    """The containers of a layers constraint: a wildcard names each one it matches."""
    if not patterns:
        return [""]
    found = [c for p in patterns for c in (index.exactly(p) if "*" in p else [p])]
    return found or list(patterns)


def _module_fields(
    base: Loc, constraint: ConstraintBase, index: ModuleIndex
) -> Iterator[tuple[Loc, str]]:
    if isinstance(constraint, ForbidImport):
        yield from _each((*base, "from"), constraint.from_)
        yield from _each((*base, "to"), constraint.to)
    elif isinstance(constraint, Layers):
        containers = _containers(constraint.containers, index)
        for position, level in enumerate(levels(constraint.layers)):
            for name in level.names:
                for container in containers:
                    full = f"{container}.{name}" if container else name
                    yield (*base, "layers", position), full
    elif isinstance(constraint, (Independent, ProtectedModules)):
        yield from _each((*base, "modules"), constraint.modules)
    elif isinstance(constraint, Acyclic):
        yield from _each((*base, "packages"), constraint.packages)
        yield from _each((*base, "skip_descendants"), constraint.skip_descendants)
    elif isinstance(constraint, PrivateModules):
        yield from _each((*base, "packages"), constraint.packages)
    elif isinstance(constraint, Python):
        module = constraint.check.partition(":")[0]
        if ":" not in constraint.check:
            module = module.rpartition(".")[0] or module
        yield (*base, "check"), module


def _module_file(name: str, files: frozenset[str]) -> bool:
    stem = name.replace(".", "/")
    return f"{stem}.py" in files or f"{stem}/__init__.py" in files


def _must_exist(name: str, index: ModuleIndex, first_party_only: bool) -> bool:
    """Whether a missing name is an error: first-party, or inside a first-party package."""
    return first_party_only or name.partition(".")[0] in index.top_level


def _module_problem(
    name: str, index: ModuleIndex, first_party_only: bool, declared: frozenset[str]
) -> str | None:
    if index.resolves(name):
        return None
    top = name.partition(".")[0]
    roots = "the source roots"
    if first_party_only:
        return (
            f"module {name!r} matches no module under {roots}; fix the name, or the "
            "source_roots/packages settings (charter config)"
        )
    if top in index.top_level:
        return f"module {name!r} matches no module under {roots}"
    if "*" in top or top in sys.stdlib_module_names or normalise(top) in declared:
        return None
    try:
        found = importlib.util.find_spec(top) is not None
    except (ImportError, ValueError):
        found = False
    if found:
        return None
    return (
        f"module {name!r} is not under {roots}, not a declared dependency in "
        "pyproject.toml and not installed; check the spelling"
    )


def _each(loc: Loc, values: Iterable[str]) -> Iterator[tuple[Loc, str]]:
    for position, value in enumerate(values):
        yield (*loc, position), value
