"""Import rules on the import graph: forbid-import, layers, independent, acyclic.

A direct import is reported where it is written, keyed by the imported module. With
``transitive``, an indirect chain is reported once per (module, target pattern) at its
first import, with the whole chain; chains do not run back through the source set
(as import-linter squashes the source package).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from charter.hooks.context import finding
from charter.hooks.source.graph import Edge
from charter.hooks.source.modules import pattern_regex

if TYPE_CHECKING:
    from charter.hooks.context import Context
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import Acyclic, ForbidImport, Independent, Layers
    from charter.hooks.findings import Finding


def _matcher(patterns: Sequence[str]) -> Callable[[str], bool]:
    regexes = [pattern_regex(p) for p in patterns]
    return lambda module: any(r.match(module) for r in regexes)


def _chain_text(chain: Sequence[Edge]) -> tuple[str, ...]:
    steps = [f"{edge.importer}:{edge.line}" for edge in chain]
    return (*steps, chain[-1].imported)


def _forbid(
    active: ActiveConstraint,
    context: Context,
    sources: Callable[[str], bool],
    targets: Sequence[str],
    transitive: bool,
    allow_type_checking: bool,
    describe: Callable[[str, str], str],
    through: Callable[[str], bool] | None = None,
) -> Iterator[Finding]:
    """Findings for modules in ``sources`` that import modules matching ``targets``.

    Indirect chains do not pass through ``sources``, nor through ``through`` when
    given (which must then name every source too: the searches are shared by all the
    sources with the same ``through``).
    """
    avoid = sources if through is None else through
    in_scope = set(context.in_scope(active))
    graph = context.graph
    target_match = _matcher(targets)
    routes = {
        pattern: graph.routes_to(
            _matcher([pattern]),
            allow_type_checking,
            avoid,
            memo=None if through is None else pattern,
        )
        for pattern in (targets if transitive else ())
    }
    for module, path in sorted(context.index.modules.items()):
        if path not in in_scope or not sources(module):
            continue
        for edge in graph.out_edges(module, allow_type_checking):
            if target_match(edge.imported) and not sources(edge.imported):
                message = describe(module, edge.imported)
                yield finding(active, path, edge.line, edge.col, message, edge.imported)
        for pattern, pattern_routes in routes.items():
            chain = graph.chain(module, pattern_routes)
            if chain is None or len(chain) < 2:
                continue
            steps = _chain_text(chain)
            message = (
                describe(module, chain[-1].imported)
                + " indirectly, via "
                + " -> ".join(edge.imported for edge in chain[:-1])
            )
            first = chain[0]
            yield finding(
                active, path, first.line, first.col, message, f"{module}~>{pattern}", steps
            )


def forbid_import(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: ForbidImport = active.constraint
    yield from _forbid(
        active,
        context,
        _matcher(constraint.from_),
        constraint.to,
        constraint.transitive,
        constraint.allow_type_checking,
        lambda source, target: f"{source} imports {target}",
    )


def layers(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: Layers = active.constraint
    for container in constraint.containers or ("",):

        def full(name: str, container: str = container) -> str:
            return f"{container}.{name}" if container else name

        levels = [
            [full(name) for name in ((layer,) if isinstance(layer, str) else layer)]
            for layer in constraint.layers
        ]
        # An indirect chain that runs through another layer is that layer's violation.
        in_any_layer = _matcher([name for level in levels for name in level])
        for low_index, low_level in enumerate(levels):
            higher = [name for level in levels[:low_index] for name in level]
            for low in low_level:
                siblings = [name for name in low_level if name != low]
                for targets, relation in ((higher, "higher layer"), (siblings, "sibling")):
                    if not targets:
                        continue
                    yield from _forbid(
                        active,
                        context,
                        _matcher([low]),
                        targets,
                        constraint.transitive,
                        constraint.allow_type_checking,
                        _describe_layer(low, relation),
                        in_any_layer,
                    )


def _describe_layer(layer: str, relation: str) -> Callable[[str, str], str]:
    def describe(source: str, target: str) -> str:
        return f"{source} (layer {layer}) imports {target} ({relation})"

    return describe


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


def independent(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: Independent = active.constraint
    members = _members(constraint.modules, sorted(context.index.modules))
    # As in import-linter, a chain that runs through another member is that member's.
    any_member = _matcher(members)
    for member in members:
        others = [other for other in members if other != member]
        yield from _forbid(
            active,
            context,
            _matcher([member]),
            others,
            constraint.transitive,
            constraint.allow_type_checking,
            lambda source, target: f"{source} imports {target}; they must stay independent",
            any_member,
        )


def acyclic(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: Acyclic = active.constraint
    in_scope = set(context.in_scope(active))
    graph = context.graph
    for package in constraint.packages:
        prefix = package + "."
        children = sorted(
            {prefix + m[len(prefix) :].split(".")[0] for m in graph.modules if m.startswith(prefix)}
        )

        def squash(module: str, prefix: str = prefix) -> str | None:
            if not module.startswith(prefix):
                return None
            return prefix + module[len(prefix) :].split(".")[0]

        for cycle in graph.cycles(children, squash):
            members = set(cycle)
            edge = _cycle_edge(graph.edges, cycle[0], members, squash)
            if edge is None:
                continue
            path = context.index.modules[edge.importer]
            if path not in in_scope:
                continue
            message = f"import cycle among the children of {package}: " + ", ".join(cycle)
            yield finding(active, path, edge.line, edge.col, message, "cycle:" + ",".join(cycle))


def _cycle_edge(
    edges: dict[str, list[Edge]],
    start: str,
    members: set[str],
    squash: Callable[[str], str | None],
) -> Edge | None:
    """The first import from ``start``'s modules into another member of the cycle."""
    for module in sorted(edges):
        if squash(module) != start:
            continue
        for edge in edges[module]:
            target = squash(edge.imported)
            if target in members and target != start:
                return edge
    return None
