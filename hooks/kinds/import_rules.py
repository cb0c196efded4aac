"""What the import-graph kinds share: module matching and forbidden imports with chains.

A direct import is reported where it is written, keyed by the imported module. With
``transitive``, an indirect chain is reported once per (module, target pattern) at its
first import, with the whole chain; chains do not run back through the source set
(as import-linter squashes the source package).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from charter.hooks.kinds.kind import finding
from charter.hooks.source.graph import Edge
from charter.hooks.source.modules import pattern_regex

if TYPE_CHECKING:
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.findings import Finding
    from charter.hooks.view import SnapshotView


def matcher(patterns: Sequence[str]) -> Callable[[str], bool]:
    regexes = [pattern_regex(p) for p in patterns]
    return lambda module: any(r.match(module) for r in regexes)


def _chain_text(chain: Sequence[Edge]) -> tuple[str, ...]:
    steps = [f"{edge.importer}:{edge.line}" for edge in chain]
    return (*steps, chain[-1].imported)


@dataclass(frozen=True)
class Rule:
    """Modules in ``sources`` must not import modules matching ``targets``.

    Indirect chains do not pass through ``sources``, nor through ``through`` when
    given (which must then name every source too: the searches are shared by all the
    sources with the same ``through``).
    """

    sources: Callable[[str], bool]
    targets: Sequence[str]
    transitive: bool
    allow_type_checking: bool
    describe: Callable[[str, str], str]
    through: Callable[[str], bool] | None = None


def forbidden(
    active: ActiveConstraint, view: SnapshotView, in_scope: Collection[str], rule: Rule
) -> Iterator[Finding]:
    """Findings for the modules of ``in_scope`` files that break ``rule``."""
    avoid = rule.sources if rule.through is None else rule.through
    graph = view.graph
    target_match = matcher(rule.targets)
    routes = {
        pattern: graph.routes_to(
            matcher([pattern]),
            rule.allow_type_checking,
            avoid,
            memo=None if rule.through is None else pattern,
        )
        for pattern in (rule.targets if rule.transitive else ())
    }
    for module, path in sorted(view.index.modules.items()):
        if path not in in_scope or not rule.sources(module):
            continue
        for edge in graph.out_edges(module, rule.allow_type_checking):
            if target_match(edge.imported) and not rule.sources(edge.imported):
                message = rule.describe(module, edge.imported)
                yield finding(active, path, edge.line, edge.col, message, edge.imported)
        for pattern, pattern_routes in routes.items():
            chain = graph.chain(module, pattern_routes)
            if chain is None or len(chain) < 2:
                continue
            message = (
                rule.describe(module, chain[-1].imported)
                + " indirectly, via "
                + " -> ".join(edge.imported for edge in chain[:-1])
            )
            first = chain[0]
            key = f"{module}~>{pattern}"
            yield finding(active, path, first.line, first.col, message, key, _chain_text(chain))
