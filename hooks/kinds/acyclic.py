"""acyclic: no import cycles among the children of the listed packages.

As import-linter's ``acyclic_siblings``: the children of a package are squashed (each
stands for its descendants) and must form no cycle; with ``depth``, so must the
children of each child, that many levels down, except below ``skip_descendants``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Literal

from charter.hooks.kinds.examples import Example, first
from charter.hooks.kinds.import_rules import STRICTNESS, exceptions, graph_check, members, required
from charter.hooks.kinds.kind import Fields, Kind, Reads, Strictness, each, finding, or_list
from charter.hooks.source.graph import Edge

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.source.graph import ImportGraph
    from charter.hooks.view import SnapshotView


def judge(
    active: ActiveConstraint, view: SnapshotView, graph: ImportGraph, paths: Sequence[str]
) -> Iterator[Finding]:
    constraint = active.constraint
    modules = sorted(graph.modules)
    skipped = set(members(constraint.skip_descendants, modules))
    todo = [(package, constraint.depth) for package in members(constraint.packages, modules)]
    while todo:
        package, depth = todo.pop(0)
        prefix = package + "."
        children = sorted(
            {prefix + m[len(prefix) :].split(".")[0] for m in modules if m.startswith(prefix)}
        )
        yield from _cycles(active, view, graph, package, children, set(paths))
        if depth:
            todo.extend((child, depth - 1) for child in children if child not in skipped)


def _cycles(
    active: ActiveConstraint,
    view: SnapshotView,
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
    deeper = f" (and {f['depth']} levels below)" if f.get("depth") else ""
    packages = or_list(f.get("packages"))
    text = f"Do not create import cycles between the subpackages of {packages}{deeper}"
    return text + exceptions(f)


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from pydantic import Field

    from charter.hooks.constraint.fields import ImportRule, Modules

    class Acyclic(ImportRule):
        kind: Literal["acyclic"]
        packages: Modules = Field(
            min_length=1, description="Packages whose children form no cycle."
        )
        depth: int = Field(
            default=0,
            ge=0,
            description="Also check the children's children, this many levels down.",
        )
        skip_descendants: Modules = Field(
            default=(), description="Packages whose own children are not checked."
        )

    return Acyclic


def example(f: Fields) -> Example:
    package = first(f.get("packages"))
    return (
        f"`{package}.a` imports `{package}.b`, and `{package}.b` imports `{package}.a`",
        f"Move what both need into a third module, say `{package}.common`",
    )


KIND = Kind(
    name="acyclic",
    rank=40,
    sample={"packages": ["app"]},
    summary="No import cycles among the children of the listed packages.",
    example=example,
    model=model,
    reads=Reads.IMPORT_GRAPH,
    check=graph_check(judge),
    strictness={
        "packages": Strictness.KEEPS,
        "depth": Strictness.SAME,
        "skip_descendants": Strictness.NO_NEW,
        **STRICTNESS,
    },
    instruction=instruction,
    vocabulary=lambda f: "cycle cycles circular import imports each other mutual module",
    modules=lambda f: required(
        iter(
            [
                *each("packages", f.get("packages", ()), first_party=True),
                *each("skip_descendants", f.get("skip_descendants", ()), first_party=True),
            ]
        ),
        f,
    ),
)
