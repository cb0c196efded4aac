"""acyclic: no import cycles among the children of the listed packages."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from charter.hooks.kinds.kind import Fields, Kind, Reads, Strictness, each, finding, or_list
from charter.hooks.source.graph import Edge

if TYPE_CHECKING:
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.view import SnapshotView


def check(active: ActiveConstraint, view: SnapshotView, paths: Sequence[str]) -> Iterator[Finding]:
    in_scope = set(paths)
    graph = view.graph
    for package in active.constraint.packages:
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
            path = view.index.modules[edge.importer]
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


def instruction(f: Fields) -> str:
    return f"Do not create import cycles between the subpackages of {or_list(f.get('packages'))}"


def _model() -> type[ConstraintBase]:
    from charter.hooks.decisions.model import Acyclic

    return Acyclic


KIND = Kind(
    name="acyclic",
    model=_model,
    reads=Reads.IMPORT_GRAPH,
    check=check,
    strictness={"packages": Strictness.KEEPS},
    instruction=instruction,
    modules=lambda f: each("packages", f.get("packages", ()), first_party=True),
)
