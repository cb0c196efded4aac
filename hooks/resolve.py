"""Check decisions against the repository they govern (``charter validate``, ``charter check``).

A glob that matches no file, or a module name that names no module, is almost always
a typo or a stale rule that silently checks nothing: each is reported at the line of
the field. ``deny`` globs are exempt: matching nothing is their aim. A name that must
be first-party (``from``, ``layers``, ``modules``, ``packages``) whose top-level package
does not exist is an error (``charter check`` stops on it too): a typo or wrong source
roots. A missing module inside an existing package (``app.api_v2`` before it is
written), a ``to`` name, or a glob that matches nothing is a warning, since ruling on
what does not exist yet is legitimate.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from charter.hooks.decisions.active import ActiveConstraint
from charter.hooks.diagnostics import Problem, Severity, field_path
from charter.hooks.errors import CharterError
from charter.hooks.globs import compile_glob
from charter.hooks.kinds import KINDS, first_party_names
from charter.hooks.kinds.kind import ModuleName, yaml_fields
from charter.hooks.settings import Settings
from charter.hooks.source.modules import ModuleIndex
from charter.hooks.source.requirements import normalise

if TYPE_CHECKING:
    from charter.hooks.decisions.catalog import Catalog
    from charter.hooks.decisions.load import DecisionFile

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
        for loc, named in _modules(item):
            if named.plugin and _module_file(named.name, file_set):
                continue  # a plugin module at the repository root
            problem = _module_problem(named.name, index, named.first_party, declared)
            if problem:
                line = item.line_of(*loc)
                severity: Severity = (
                    "error" if named.first_party and _root_missing(named.name, index) else "warning"
                )
                problems.append(Problem(item.path, line, severity, f"{field_path(loc)}: {problem}"))
    return problems


def _globs(item: DecisionFile) -> Iterator[tuple[Loc, str]]:
    yield from _each(("scope",), item.decision.scope)
    for index, constraint in enumerate(item.decision.constraints):
        base: Loc = ("constraints", index)
        yield from _each((*base, "paths"), constraint.paths)
        yield from _each((*base, "exclude"), constraint.exclude)
        fields = yaml_fields(constraint)
        for name in KINDS[constraint.kind].globs:
            yield from _each((*base, name), fields.get(name) or ())


def _modules(item: DecisionFile) -> Iterator[tuple[Loc, ModuleName]]:
    """Each module name the decision's constraints name, and where it is written."""
    for index, constraint in enumerate(item.decision.constraints):
        for named in KINDS[constraint.kind].modules(yaml_fields(constraint)):
            where = () if named.position is None else (named.position,)
            yield ("constraints", index, named.field, *where), named


def _module_file(name: str, files: frozenset[str]) -> bool:
    stem = name.replace(".", "/")
    return f"{stem}.py" in files or f"{stem}/__init__.py" in files


def _root_missing(name: str, index: ModuleIndex) -> bool:
    """Whether not even the top-level package of a first-party name exists."""
    top = name.partition(".")[0]
    return "*" not in top and top not in index.top_level


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


def require_modules(
    settings: Settings, active: Sequence[ActiveConstraint], files: Sequence[str], index: ModuleIndex
) -> None:
    """Stop (exit 2) when a constraint names a first-party package that does not exist.

    Such a rule would silently check nothing (a typo, wrong source roots); a missing
    module inside an existing package may be one still to be written, and passes. The
    names are checked against the snapshot's module index (cheap); only when one is
    missing are the decision records read again, to name the file, the line and the fix
    as ``charter validate`` does.
    """
    missing = sorted(
        {
            name
            for name in first_party_names(active)
            if name.partition(".")[0] not in index.top_level and not index.resolves(name)
        }
    )
    if not missing:
        return
    from charter.hooks.decisions import catalog, load
    from charter.hooks.diagnostics import sort_key
    from charter.hooks.source.requirements import declared

    loaded = load.load_folder(settings.root, settings.decisions)
    decisions, _ = catalog.build(loaded.files, loaded.headers)
    problems = check(decisions, files, index, declared(settings.root))
    errors = sorted((p for p in problems if p.severity == "error"), key=sort_key)
    listing = "\n".join(p.format() for p in errors) or "\n".join(
        f"module {name!r} matches no module under the source roots" for name in missing
    )
    raise CharterError(
        "a decision names modules that do not exist, so it would check nothing; fix the "
        f"names or the source roots (charter validate, charter config):\n{listing}"
    )
