"""Check decisions against the repository they govern (``charter validate``, ``charter check``).

A glob that matches no file, or a module name that names no module, is almost always
a typo or a stale rule that silently checks nothing: each is reported at the line of
the field. ``deny`` globs are exempt: matching nothing is their aim. As in
import-linter, a module an import rule names that does not exist is an error
(``charter check`` stops on it too) when it must be first-party (``from``, ``layers``,
``modules``, ``packages``) or lies inside a first-party package (a misspelt ``to``),
unless the constraint lists it in ``optional`` (code still to be written: each kind's
``modules`` leaves those out). A ``to`` name that is neither first-party, a dependency
nor installed, and a glob that matches nothing, are warnings.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from charter.hooks import userregex
from charter.hooks.decisions.active import ActiveConstraint
from charter.hooks.diagnostics import Problem, Severity, field_path
from charter.hooks.errors import CharterError
from charter.hooks.globs import compile_glob
from charter.hooks.kinds import KINDS, module_names
from charter.hooks.kinds.kind import ModuleName, yaml_fields
from charter.hooks.settings import Settings
from charter.hooks.source.modules import ModuleIndex
from charter.hooks.source.names import name_problem
from charter.hooks.source.requirements import normalise

if TYPE_CHECKING:
    from charter.hooks.decisions.catalog import Catalog
    from charter.hooks.decisions.load import DecisionFile
    from charter.hooks.source.snapshot import Snapshot

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
        accepted = catalog.enforcement(item) == "error"
        for loc, named in _modules(item):
            if named.plugin and _module_file(named.name, file_set):
                continue  # a plugin module at the repository root
            problem = _module_problem(named.name, index, named.first_party, declared)
            if problem:
                close = _close_module(named.name, index) if named.first_party else None
                hint = f" (did you mean {close!r}?)" if close else ""
                typo = accepted and close is not None  # a typo checks nothing: an error
                severity: Severity = "error" if _must_exist(named, index) or typo else "warning"
                line = item.line_of(*loc)
                problem = problem.replace(f"{named.name!r}", f"{named.name!r}{hint}", 1)
                message = f"{field_path(loc)}: {problem}"
                problems.append(Problem(item.path, line, severity, message))
        problems.extend(_name_problems(item, index, declared, accepted))
    return problems


def _close_module(name: str, index: ModuleIndex) -> str | None:
    """The existing module a missing first-party name was probably meant to be: a sibling
    whose last part is one or two edits away (``app.dbb`` for ``app.db``; not
    ``app.api_v2``, a module still to be written beside ``app.api``)."""
    if "*" in name:
        return None
    top, dot, rest = name.partition(".")
    if top not in index.top_level:  # 'ap.api' for 'app.api'
        allowed = max(1, len(top) // 4)
        for other in sorted(index.top_level, key=lambda t: _edits(top, t)):
            candidate = other + dot + rest
            if _edits(top, other) <= allowed and index.resolves(candidate):
                return candidate
        return None
    parent, _, leaf = name.rpartition(".")
    siblings = [m for m in index.modules if m.rpartition(".")[0] == parent]
    allowed = max(1, len(leaf) // 4)
    scored = sorted((_edits(leaf, m.rpartition(".")[2]), m) for m in siblings)
    return scored[0][1] if scored and scored[0][0] <= allowed else None


def _edits(a: str, b: str) -> int:
    """The Levenshtein distance between two short names."""
    row = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, other in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (char != other))
    return row[-1]


def _name_problems(
    item: DecisionFile, index: ModuleIndex, declared: frozenset[str], accepted: bool
) -> Iterator[Problem]:
    """Banned names that name nothing (a rule that checks nothing), and patterns that
    need the backtracking engine (they run with a time limit, see userregex)."""
    for position, constraint in enumerate(item.decision.constraints):
        fields = yaml_fields(constraint)
        base: Loc = ("constraints", position)
        for field_name in KINDS[constraint.kind].qualified_names:
            for loc, name in _each((*base, field_name), fields.get(field_name) or ()):
                problem = name_problem(name, index, declared)
                if problem:
                    severity: Severity = "error" if accepted else "warning"
                    where = f"{field_path(loc)}: "
                    yield Problem(item.path, item.line_of(*loc), severity, where + problem)
        pattern = fields.get("pattern")
        if isinstance(pattern, str) and (note := userregex.note(pattern)):
            loc = (*base, "pattern")
            yield Problem(item.path, item.line_of(*loc), "warning", f"{field_path(loc)}: {note}")


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


def _must_exist(named: ModuleName, index: ModuleIndex) -> bool:
    """Whether a missing name is an error: first-party, or inside a first-party package."""
    if named.plugin:
        return named.first_party and named.name.partition(".")[0] not in index.top_level
    return named.first_party or named.name.partition(".")[0] in index.top_level


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
    settings: Settings,
    active: Sequence[ActiveConstraint],
    files: Sequence[str],
    index: ModuleIndex,
    snapshot: Snapshot | None = None,
    existed: Callable[[str], bool] | None = None,
) -> None:
    """Stop (exit 2) when an import rule names a module that does not exist.

    Such a rule would silently check nothing (a typo, wrong source roots), as
    import-linter stops on it; a module still to be written is allowed only when the
    constraint lists it in ``optional``. The names are checked against the snapshot's
    module index (cheap); only when one is missing are the decision records read again
    (from ``snapshot``, else the working tree), to name the file, the line and the fix
    as ``charter validate`` does. A name for which ``existed`` holds (it named a module
    of the parent commit, in a range) is left to the change check: the commit that
    renamed or removed that module weakens the rule (``governance.modules``).
    """
    missing = sorted(
        {
            named.name
            for item in active
            for named in module_names(item)
            if not named.plugin and _must_exist(named, index) and not index.resolves(named.name)
        }
    )
    if existed is not None:
        missing = [name for name in missing if not existed(name)]
    if not missing:
        return
    from charter.hooks.decisions import catalog, load
    from charter.hooks.diagnostics import sort_key
    from charter.hooks.source.requirements import declared

    loaded = None if snapshot is None else load.load_snapshot(snapshot, settings.decisions)
    if loaded is None or not loaded.files:  # decisions kept outside git (in_force)
        loaded = load.load_folder(settings.root, settings.decisions)
    decisions, _ = catalog.build(loaded.files, loaded.headers)
    problems = check(decisions, files, index, declared(settings.root))
    errors = sorted((p for p in problems if p.severity == "error"), key=sort_key)
    if existed is not None:  # not the names the change check reports
        errors = [p for p in errors if any(repr(name) in p.message for name in missing)]
    listing = "\n".join(p.format() for p in errors) or "\n".join(
        f"module {name!r} matches no module under the source roots" for name in missing
    )
    raise CharterError(
        "a decision names modules that do not exist, so it would check nothing; fix the "
        f"names or the source roots (charter validate, charter config):\n{listing}"
    )
