"""Import rules on the import graph: forbid-import, layers, independent, acyclic.

The semantics are import-linter's (its ``forbidden``, ``layers``, ``independence`` and
``acyclic_siblings`` contracts), so a contract written in both tools gets the same
verdict. A direct import is reported where it is written, keyed by the imported module.
With ``transitive``, an indirect chain is reported once per (source module, target) at
its first import, with the whole chain; a chain never runs back through the source
package it starts in (import-linter squashes it), but may run through other sources.
Each rule first drops the imports its ``ignore_imports`` names (see ``ignoring``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from charter.hooks.context import finding
from charter.hooks.decisions.levels import levels as layer_levels
from charter.hooks.source.graph import Edge, ImportGraph
from charter.hooks.source.modules import pattern_regex

if TYPE_CHECKING:
    from charter.hooks.context import Context
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import Acyclic, ForbidImport, Independent, Layers
    from charter.hooks.findings import Finding


def _matcher(patterns: Sequence[str], submodules: bool = True) -> Callable[[str], bool]:
    regexes = [pattern_regex(p, submodules) for p in patterns]
    return lambda module: any(r.match(module) for r in regexes)


def _chain_text(chain: Sequence[Edge]) -> tuple[str, ...]:
    steps = [f"{edge.importer}:{edge.line}" for edge in chain]
    return (*steps, chain[-1].imported)


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


def ignoring(active: ActiveConstraint, context: Context) -> tuple[ImportGraph, list[Finding]]:
    """The graph without the rule's ``ignore_imports``, and a finding per unmatched entry.

    As import-linter's ``unmatched_ignore_imports_alerting``: an entry that matches no
    import is an error by default (a stale entry hides nothing, or a typo hides the
    import it meant), a warning, or nothing (``off``). It is reported at its line in
    the decision record.
    """
    constraint = active.constraint
    entries = tuple(constraint.ignore_imports)
    if not entries:
        return context.graph, []
    graph, unmatched = context.graph.without(entries)
    alerting = constraint.unmatched_ignore_imports
    if alerting == "off":
        return graph, []
    text = (context.snapshot.read(active.source) or b"").decode("utf-8", "replace")
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


def _forbid(
    active: ActiveConstraint,
    context: Context,
    graph: ImportGraph,
    source: str,
    targets: Sequence[str],
    describe: Callable[[str, str], str],
    through: Callable[[str], bool] | None = None,
    as_packages: bool = True,
) -> Iterator[Finding]:
    """Findings for the modules of ``source`` that import modules matching ``targets``.

    Indirect chains do not pass through ``source`` (import-linter squashes it into one
    node), nor through ``through`` when given (which must then cover ``source`` too).
    """
    constraint = active.constraint
    transitive, allow_tc = constraint.transitive, constraint.allow_type_checking
    avoid = _matcher([source], as_packages) if through is None else through
    in_scope = set(context.in_scope(active))
    is_source = _matcher([source], as_packages)
    target_match = _matcher(targets, as_packages)
    routes = {
        pattern: graph.routes_to(
            _matcher([pattern], as_packages), allow_tc, avoid, memo=(pattern, as_packages)
        )
        for pattern in (targets if transitive else ())
    }
    for module, path in sorted(context.index.modules.items()):
        if path not in in_scope or not is_source(module):
            continue
        for edge in graph.out_edges(module, allow_tc):
            if target_match(edge.imported) and not is_source(edge.imported):
                message = describe(module, edge.imported)
                yield finding(active, path, edge.line, edge.col, message, edge.imported)
        for pattern, pattern_routes in routes.items():
            chain = graph.chain(module, pattern_routes)
            if chain is None or len(chain) < 2:
                continue
            steps = _chain_text(chain)
            via = " -> ".join(edge.imported for edge in chain[:-1])
            message = f"{describe(module, chain[-1].imported)} indirectly, via {via}"
            first = chain[0]
            key = f"{module}~>{pattern}"
            yield finding(active, path, first.line, first.col, message, key, steps)


def _overlap(a: str, b: str, as_packages: bool) -> bool:
    """import-linter skips a source and a target that are one module or nest."""
    if a == b:
        return True
    return as_packages and (a.startswith(b + ".") or b.startswith(a + "."))


def _once(found: Iterator[Finding]) -> Iterator[Finding]:
    """Each finding once, when overlapping sources or targets find it twice."""
    seen: set[tuple[str, int, int, str]] = set()
    for item in found:
        key = (item.path, item.line, item.col, item.key)
        if key not in seen:
            seen.add(key)
            yield item


def forbid_import(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: ForbidImport = active.constraint
    graph, alerts = ignoring(active, context)
    yield from alerts
    modules = sorted(context.index.modules)
    concrete = members(constraint.to, [*modules, *_external(graph)])

    def describe(source: str, target: str) -> str:
        return f"{source} imports {target}"

    found = (
        item
        for source in members(constraint.from_, modules)
        for item in _forbid(
            active,
            context,
            graph,
            source,
            [t for t in concrete if not _overlap(source, t, constraint.as_packages)],
            describe,
            as_packages=constraint.as_packages,
        )
    )
    yield from _once(found)


def _external(graph: ImportGraph) -> list[str]:
    """Third-party modules imported somewhere (a wildcard ``to`` may name them)."""
    return sorted(
        {e.imported for out in graph.edges.values() for e in out if e.imported not in graph.modules}
    )


def layers(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: Layers = active.constraint
    graph, alerts = ignoring(active, context)
    yield from alerts
    modules = sorted(context.index.modules)
    containers = members(constraint.containers, modules) if constraint.containers else [""]
    for container in containers:

        def full(name: str, container: str = container) -> str:
            return f"{container}.{name}" if container else name

        levels = [
            (tuple(full(n) for n in level.names), level.independent)
            for level in layer_levels(constraint.layers)
        ]
        # An indirect chain that runs through another layer is that layer's violation.
        in_any_layer = _matcher([name for names, _ in levels for name in names])
        for low_index, (low_level, independent) in enumerate(levels):
            higher = [name for names, _ in levels[:low_index] for name in names]
            for low in low_level:
                siblings = [n for n in low_level if n != low] if independent else []
                for targets, relation in ((higher, "higher layer"), (siblings, "sibling")):
                    if targets:
                        describe = _describe_layer(low, relation)
                        yield from _forbid(
                            active, context, graph, low, targets, describe, in_any_layer
                        )
        if constraint.exhaustive and container:
            yield from _undeclared(active, context, container, levels)


def _undeclared(
    active: ActiveConstraint,
    context: Context,
    container: str,
    levels: Sequence[tuple[tuple[str, ...], bool]],
) -> Iterator[Finding]:
    """``exhaustive``: each child of the container not named as a layer (nor ignored)."""
    constraint: Layers = active.constraint
    declared = {name for names, _ in levels for name in names}
    declared.update(f"{container}.{name}" for name in constraint.exhaustive_ignores)
    in_scope = set(context.in_scope(active))
    prefix = container + "."
    children = sorted(
        {
            prefix + m[len(prefix) :].split(".")[0]
            for m in context.index.modules
            if m.startswith(prefix)
        }
    )
    for child in children:
        path = context.index.modules.get(child) or _first_file(context, child)
        if child in declared or path is None or path not in in_scope:
            continue
        message = f"{child} is not a layer of {container} (the layers are exhaustive)"
        yield finding(active, path, 1, 1, message, f"undeclared:{child}")


def _first_file(context: Context, package: str) -> str | None:
    """A file of a package without ``__init__.py``: its first module's."""
    prefix = package + "."
    return next(
        (path for m, path in sorted(context.index.modules.items()) if m.startswith(prefix)), None
    )


def _describe_layer(layer: str, relation: str) -> Callable[[str, str], str]:
    def describe(source: str, target: str) -> str:
        return f"{source} (layer {layer}) imports {target} ({relation})"

    return describe


def independent(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: Independent = active.constraint
    graph, alerts = ignoring(active, context)
    yield from alerts
    found = members(constraint.modules, sorted(context.index.modules))
    # As in import-linter, a chain that runs through another member is that member's.
    any_member = _matcher(found)

    def describe(source: str, target: str) -> str:
        return f"{source} imports {target}; they must stay independent"

    for member in found:
        others = [other for other in found if other != member]
        yield from _forbid(active, context, graph, member, others, describe, any_member)


def acyclic(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    """No cycle among the children of each package, ``depth`` levels down.

    As import-linter's ``acyclic_siblings``: the children of a package are squashed
    (each stands for its descendants) and must form no cycle; with ``depth``, so must
    the children of each child, except below ``skip_descendants``.
    """
    constraint: Acyclic = active.constraint
    graph, alerts = ignoring(active, context)
    yield from alerts
    modules = sorted(graph.modules)
    skipped = set(members(constraint.skip_descendants, modules))
    in_scope = set(context.in_scope(active))
    todo = [(package, constraint.depth) for package in members(constraint.packages, modules)]
    while todo:
        package, depth = todo.pop(0)
        prefix = package + "."
        children = sorted(
            {prefix + m[len(prefix) :].split(".")[0] for m in modules if m.startswith(prefix)}
        )
        yield from _cycles(active, context, graph, package, children, in_scope)
        if depth:
            todo.extend((child, depth - 1) for child in children if child not in skipped)


def _cycles(
    active: ActiveConstraint,
    context: Context,
    graph: ImportGraph,
    package: str,
    children: Sequence[str],
    in_scope: set[str],
) -> Iterator[Finding]:
    prefix = package + "."

    def squash(module: str) -> str | None:
        if not module.startswith(prefix):
            return None
        return prefix + module[len(prefix) :].split(".")[0]

    for cycle in graph.cycles(children, squash):
        edge = _cycle_edge(graph.edges, cycle[0], set(cycle), squash)
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
