"""What the import-graph kinds share: module matching, ignored imports, forbidden imports.

The semantics are import-linter's, so a contract written in both tools gets the same
verdict. A direct import is reported where it is written, keyed by the imported module.
With ``transitive``, an indirect chain is reported once per (source module, target) at
its first import, with the whole chain; a chain never runs back through the source
package it starts in (import-linter squashes it), but may run through other sources.
Each rule judges the graph less the imports its ``ignore_imports`` names (``graph_check``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from charter.hooks.kinds.kind import Check, Fields, ModuleName, Strictness, finding
from charter.hooks.source.graph import Edge, ImportGraph
from charter.hooks.source.modules import pattern_regex

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.findings import Finding
    from charter.hooks.view import SnapshotView

# How the fields every import rule takes may change (governance): an added
# ``ignore_imports`` entry or ``optional`` module lets an import or a missing module by.
STRICTNESS = {
    "ignore_imports": Strictness.NO_NEW,
    "unmatched_ignore_imports": Strictness.SAME,
    "optional": Strictness.NO_NEW,
}
# The fields of the rules that may follow import chains.
CHAINS = {"transitive": Strictness.STAYS_TRUE, "allow_type_checking": Strictness.STAYS_FALSE}

GraphJudge = Callable[
    ["ActiveConstraint", "SnapshotView", ImportGraph, Sequence[str]], Iterable["Finding"]
]


def graph_check(judge: GraphJudge) -> Check:
    """An import rule's check: ``judge`` sees the graph less its ``ignore_imports``, and
    an entry that matches no import is reported first (``ignoring``)."""

    def check(
        active: ActiveConstraint, view: SnapshotView, paths: Sequence[str]
    ) -> Iterator[Finding]:
        graph, alerts = ignoring(active, view)
        yield from alerts
        yield from judge(active, view, graph, paths)

    return check


def matcher(patterns: Sequence[str], submodules: bool = True) -> Callable[[str], bool]:
    """Whether a module is one the patterns name (or, with ``submodules``, inside one).

    A pattern without a wildcard is a name and a prefix, tested without a regular
    expression: the import rules ask this of every module and every import (~10,000
    calls on Django's cold run).
    """
    names = frozenset(p for p in patterns if "*" not in p)
    prefixes = tuple(f"{name}." for name in names) if submodules else ()
    regexes = [pattern_regex(p, submodules) for p in patterns if "*" in p]

    def match(module: str) -> bool:
        if module in names:
            return True
        if prefixes and module.startswith(prefixes):
            # As the regular expression's ``(?:\..+)?\Z``: after the dot, something and
            # no newline.
            for prefix in prefixes:
                rest = module[len(prefix) :] if module.startswith(prefix) else ""
                if rest and "\n" not in rest:
                    return True
        return any(r.match(module) for r in regexes)

    return match


def named(graph: ImportGraph, patterns: Sequence[str], submodules: bool = True) -> frozenset[str]:
    """The modules of the graph the patterns name (``matcher``'s answer for each of
    the graph's modules, found once per pattern: ``ImportGraph.named``)."""
    if len(patterns) == 1:
        return graph.named(patterns[0], submodules)
    return frozenset().union(*(graph.named(pattern, submodules) for pattern in patterns))


def members(patterns: Sequence[str], modules: Sequence[str]) -> list[str]:
    """Concrete modules named by patterns (a wildcard names each module it matches)."""
    found: list[str] = []
    for pattern in patterns:
        if "*" not in pattern:
            found.append(pattern)
            continue
        exact = pattern_regex(pattern, submodules=False)
        found.extend(m for m in modules if exact.match(m))
    return sorted(dict.fromkeys(found))


def required(names: Iterator[ModuleName], fields: Fields) -> Iterator[ModuleName]:
    """The names a rule names, less those its ``optional`` says may not exist yet."""
    optional = set(fields.get("optional") or ())
    for named in names:
        if named.name not in optional and named.name.rpartition(".")[2] not in optional:
            yield named


def scoped_modules(view: SnapshotView, in_scope: Collection[str]) -> Iterator[tuple[str, str]]:
    """The first-party modules whose files are in scope, with their paths, by name."""
    return (
        (module, path) for module, path in sorted(view.index.modules.items()) if path in in_scope
    )


def exceptions(f: Fields) -> str:
    """The instruction's words for ``ignore_imports``."""
    entries = f.get("ignore_imports") or ()
    return f" (allowed exceptions: {', '.join(entries)})" if entries else ""


def ignoring(active: ActiveConstraint, view: SnapshotView) -> tuple[ImportGraph, list[Finding]]:
    """The graph without the rule's ``ignore_imports``, and a finding per unmatched entry.

    As import-linter's ``unmatched_ignore_imports_alerting``: an entry that matches no
    import is an error by default (a stale entry hides nothing, or a typo hides the
    import it meant), a warning, or nothing (``off``). It is reported at its line in
    the decision record.
    """
    constraint = active.constraint
    entries = tuple(constraint.ignore_imports)
    if not entries:
        return view.graph, []
    graph, unmatched = view.graph.without(entries)
    alerting = constraint.unmatched_ignore_imports
    if alerting == "off":
        return graph, []
    text = (view.snapshot.read(active.source) or b"").decode("utf-8", "replace")
    found = []
    for entry in unmatched:
        message = f"ignore_imports entry {entry!r} matches no import; remove it or fix it"
        item = finding(active, active.source, _line_of(text, entry), 1, message, f"ignore:{entry}")
        found.append(item if alerting == "error" else dataclasses.replace(item, severity="warning"))
    return graph, found


def _line_of(text: str, entry: str) -> int:
    importer, _, imported = entry.partition("->")
    for number, line in enumerate(text.splitlines(), start=1):
        if importer.strip() in line and imported.strip() in line:
            return number
    return 1


def _chain_text(chain: Sequence[Edge]) -> tuple[str, ...]:
    steps = [f"{edge.importer}:{edge.line}" for edge in chain]
    return (*steps, chain[-1].imported)


@dataclass(frozen=True)
class Rule:
    """The modules of ``source`` must not import modules matching ``targets``.

    Indirect chains do not pass through ``source`` (import-linter squashes it into one
    node), nor through the modules ``through`` names when given (patterns that name
    their submodules too, and must then cover ``source``). With ``as_packages`` false,
    ``source`` and ``targets`` name only themselves.
    """

    source: str
    targets: Sequence[str]
    transitive: bool
    allow_type_checking: bool
    describe: Callable[[str, str], str]
    through: Sequence[str] | None = None
    as_packages: bool = True


def forbidden(
    active: ActiveConstraint,
    view: SnapshotView,
    graph: ImportGraph,
    in_scope: Collection[str],
    rule: Rule,
) -> Iterator[Finding]:
    """Findings for the modules of ``in_scope`` files that break ``rule``."""
    sources = named(graph, [rule.source], rule.as_packages)
    avoid = sources if rule.through is None else named(graph, rule.through)
    targets = named(graph, rule.targets, rule.as_packages)
    routes = {
        pattern: graph.routes_to(
            graph.named(pattern, rule.as_packages), rule.allow_type_checking, avoid
        )
        for pattern in (rule.targets if rule.transitive else ())
    }
    modules = view.index.modules
    for module in sorted(sources):
        path = modules.get(module)
        if path is None or path not in in_scope:
            continue
        for edge in graph.out_edges(module, rule.allow_type_checking):
            if edge.imported in targets and edge.imported not in sources:
                message = rule.describe(module, edge.imported)
                yield finding(active, path, edge.line, edge.col, message, edge.imported)
        for pattern, pattern_routes in routes.items():
            chain = graph.chain(module, pattern_routes)
            if chain is None or len(chain) < 2:
                continue
            via = " -> ".join(edge.imported for edge in chain[:-1])
            message = f"{rule.describe(module, chain[-1].imported)} indirectly, via {via}"
            first = chain[0]
            key = f"{module}~>{pattern}"
            yield finding(active, path, first.line, first.col, message, key, _chain_text(chain))
