"""Run the constraints in force on a snapshot: files -> facts -> findings.

Each kind is a function in ``charter.hooks.kinds`` (registry ``CHECKS``) that takes the
constraint in force and the snapshot's ``Context`` and yields findings. What was found
before is reused, keyed by everything it depends on (``source/results.py``):

- file-level kinds (``FILE_KINDS``) judge each file on its own content, so a file whose
  blob id, path and module are unchanged keeps its findings; only new content is read;
- import rules (``GRAPH_KINDS``) judge the whole import graph, so their findings are
  reused while the import table (every module's path and imports) is the same;
- ``python`` plugins may look at anything: they run every time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from charter.hooks import __version__
from charter.hooks.context import Context
from charter.hooks.decisions.active import ActiveConstraint
from charter.hooks.findings import Finding, number_occurrences
from charter.hooks.kinds import CHECKS
from charter.hooks.settings import Settings
from charter.hooks.source.cache import Cache
from charter.hooks.source.facts import SyntaxProblem
from charter.hooks.source.results import digest
from charter.hooks.source.snapshot import Snapshot

FILE_KINDS = frozenset(
    {"banned-api", "dependencies", "file-placement", "forbid-pattern", "require-pattern", "ruff"}
)
PYTHON_ONLY = frozenset({"banned-api", "dependencies", "ruff"})  # skip other files
NEED_FACTS = frozenset({"banned-api", "dependencies"})
GRAPH_KINDS = frozenset({"forbid-import", "layers", "independent", "acyclic"})
UNPARSED = frozenset({"syntax-error", "unreadable"})  # one finding per file, from the engine


def run(
    snapshot: Snapshot,
    active: Sequence[ActiveConstraint],
    settings: Settings,
    cache: Cache,
) -> tuple[list[Finding], Context]:
    """All findings of the constraints in force, and the context they were found in."""
    context = Context(snapshot, settings, cache)
    per_file = [a for a in active if a.kind in FILE_KINDS]
    graph = [a for a in active if a.kind in GRAPH_KINDS]
    other = [a for a in active if a.kind not in FILE_KINDS | GRAPH_KINDS]
    findings = [
        *_file_findings(per_file, context),
        *_graph_findings(graph, context),
        *_check(other, context),
    ]
    findings = _one_syntax_error_per_file(findings, context, with_table=bool(graph))
    cache.save()
    return number_occurrences(findings), context


def describe(active: Iterable[ActiveConstraint]) -> tuple[object, ...]:
    """Everything about the constraints that their findings depend on, as plain values."""
    return tuple(
        (a.id, a.kind, a.severity, a.decision, a.source, a.scope, _fields(a)) for a in active
    )


def _fields(active: ActiveConstraint) -> list[tuple[str, object]]:
    return sorted(vars(active.constraint).items())


def tool_versions(active: Iterable[ActiveConstraint]) -> tuple[str, ...]:
    """Versions of outside tools whose findings are cached (ruff)."""
    if not any(a.kind == "ruff" for a in active):
        return ()
    from importlib import metadata

    try:
        return (metadata.version("ruff"),)
    except metadata.PackageNotFoundError:  # pragma: no cover - ruff is a dependency
        return ("ruff",)


def _check(active: Iterable[ActiveConstraint], context: Context) -> Iterator[Finding]:
    for constraint in active:
        check = CHECKS.get(constraint.kind)
        if check is not None:
            yield from check(constraint, context)


def _file_findings(active: Sequence[ActiveConstraint], context: Context) -> list[Finding]:
    """Findings of file-level kinds: cached ones per file, the others computed now."""
    if not active:
        return []
    results = context.cache.results
    first_party = sorted(context.index.top_level)
    stamp = digest(__version__, describe(active), tool_versions(active), first_party)
    paths: set[str] = set()
    for constraint in active:
        in_scope = context.in_scope(constraint)
        if constraint.kind in PYTHON_ONLY:
            in_scope = [p for p in in_scope if p.endswith((".py", ".pyi"))]
        paths.update(in_scope)
    found: list[Finding] = []
    missing: dict[str, str | None] = {}  # path -> its cache key (None: cannot be cached)
    for path in sorted(paths):
        blob = context.snapshot.content_id(path)
        key = None if blob is None else f"{stamp}:{path}:{blob}:{context.module_of.get(path, '')}"
        cached = None if key is None else results.findings(key)
        if cached is None or key is None:
            missing[path] = key
            continue
        found.extend(cached)
        for note in results.notes(key):
            context.note(path, note)
    if not missing:
        return found
    if any(a.kind in NEED_FACTS for a in active):  # parse them all at once, on every core
        context.facts_of([p for p in missing if p.endswith((".py", ".pyi"))])
    context.only = set(missing)
    try:
        fresh = [
            *_check(active, context),
            *_syntax_errors(context, sorted(context.parsed | set(context.unreadable))),
        ]
    finally:
        context.only = None
    by_path: defaultdict[str, list[Finding]] = defaultdict(list)
    for item in fresh:
        by_path[item.path].append(item)
    for path, key in missing.items():
        if key is not None:
            results.put_findings(key, by_path.get(path, ()), context.notes_of.get(path, ()))
    return found + fresh


def _graph_findings(active: Sequence[ActiveConstraint], context: Context) -> list[Finding]:
    """Findings of the import rules, reused while the import table is the same."""
    if not active:
        return []
    key = "graph:" + digest(__version__, describe(active), context.table.digest)
    cached = context.cache.results.findings(key)
    if cached is not None:
        return cached
    fresh = list(_check(active, context))
    context.cache.results.put_findings(key, fresh)
    return fresh


def _one_syntax_error_per_file(
    findings: list[Finding], context: Context, with_table: bool
) -> list[Finding]:
    """A file that does not parse is a finding of its own, once per file."""
    errors = {f.path: f for f in findings if f.kind in UNPARSED}
    kept = [f for f in findings if f.kind not in UNPARSED]
    for item in _syntax_errors(context, sorted(context.parsed | set(context.unreadable))):
        errors.setdefault(item.path, item)
    if with_table:
        for entry in context.table.entries.values():
            if entry.error is not None:
                errors.setdefault(
                    entry.path, _syntax_error(entry.path, entry.error, context.settings)
                )
    return kept + [errors[path] for path in sorted(errors)]


def _syntax_errors(context: Context, paths: Iterable[str]) -> Iterator[Finding]:
    for path in paths:
        error = context.facts(path).syntax_error
        if error is not None:
            yield _syntax_error(path, error, context.settings)


def _syntax_error(path: str, error: SyntaxProblem, settings: Settings) -> Finding:
    if error.unreadable:
        return Finding(
            decision="charter",
            constraint="charter/unreadable",
            kind="unreadable",
            path=path,
            line=1,
            col=1,
            message=error.message,
            key="unreadable",
            severity="error" if settings.unreadable == "error" else "warning",
            remedy="Charter could not read this file, so no rule checked it.",
        )
    return Finding(
        decision="charter",
        constraint="charter/syntax-error",
        kind="syntax-error",
        path=path,
        line=error.line,
        col=error.col,
        message=f"cannot parse: {error.message}; other files were still checked",
        key="syntax-error",
        remedy="Fix the syntax error so Charter can check this file's imports.",
    )
