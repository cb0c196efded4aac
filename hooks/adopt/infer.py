"""What already holds in a repository's import graph, as starter decisions.

For every first-party package with at least three children (its direct submodules and
subpackages), ``charter init`` proposes:

- **layers**: the children ordered by who imports whom. A child's level is the length
  of the longest import chain below it, so every import points down and children on one
  level never reach each other (they are written as independent siblings). Children
  caught in an import cycle have no place in an order and are left out, by name.
- **acyclic**: no import cycles among the children. When cycles exist the rule is still
  proposed (it is what the team wants to keep) and the cycles go in the baseline.
- **dependencies**: per child subpackage, the third-party packages it imports today, as
  its allow-list.

Imports of the package itself (``from httpx import Client`` inside ``httpx._main``)
pass through the package's ``__init__``; the layer rules judge chains through it, so
the inference does too.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from charter.hooks.kinds.acyclic import KIND as ACYCLIC
from charter.hooks.kinds.dependencies import KIND as DEPENDENCIES
from charter.hooks.kinds.layers import KIND as LAYERS
from charter.hooks.source.graph import ImportGraph, components
from charter.hooks.source.requirements import STANDARD, normalise

if TYPE_CHECKING:
    from charter.hooks.view import SnapshotView

MIN_CHILDREN = 3


@dataclass(frozen=True)
class Proposal:
    """One starter decision: a constraint that holds today and the evidence for it."""

    slug: str  # the file name after the number: ``0003-<slug>.md``
    title: str
    kind: str
    fields: tuple[tuple[str, object], ...]  # the constraint's YAML fields, in order
    evidence: tuple[str, ...]  # Markdown bullet lines
    tags: tuple[str, ...]


@dataclass(frozen=True)
class ChildGraph:
    """The imports among the children of one package (module names relative to it)."""

    package: str
    children: tuple[str, ...]
    edges: Mapping[str, frozenset[str]]  # child -> children it reaches by a chain
    examples: Mapping[tuple[str, str], str]  # (child, child) -> "a.b:12 imports a.c"
    allow_type_checking: bool = False  # chains through ``if TYPE_CHECKING:`` imports ignored


def child_graph(graph: ImportGraph, package: str, allow_type_checking: bool = False) -> ChildGraph:
    """Child A imports child B when a chain of first-party imports leads from A to B.

    Layers are judged on chains (``transitive: true``), through any module, the
    package's own ``__init__`` included, so the order is inferred on chains too.
    """
    prefix = package + "."

    def child(module: str) -> str | None:
        return module[len(prefix) :].partition(".")[0] if module.startswith(prefix) else None

    children = sorted({c for m in graph.modules if (c := child(m))})
    edges: dict[str, set[str]] = {c: set() for c in children}
    examples: dict[tuple[str, str], str] = {}
    for module in sorted(graph.edges):
        source = child(module)
        if source is None:
            continue
        for edge in graph.out_edges(module):
            target = child(edge.imported)
            if target is None or target == source or target not in edges:
                continue
            if allow_type_checking and edge.type_checking:
                continue
            where = f"`{module}` (line {edge.line}) imports `{edge.imported}`"
            examples.setdefault((source, target), where)
    for name in children:
        starts = [m for m in graph.modules if child(m) == name]
        for module in _reachable(graph, starts, allow_type_checking):
            target = child(module)
            if target is not None and target != name:
                edges[name].add(target)
    frozen = {k: frozenset(v) for k, v in edges.items()}
    return ChildGraph(package, tuple(children), frozen, examples, allow_type_checking)


def _reachable(graph: ImportGraph, starts: list[str], allow_type_checking: bool) -> set[str]:
    seen = set(starts)
    todo = list(starts)
    while todo:
        for edge in graph.out_edges(todo.pop(), allow_type_checking):
            if edge.imported in graph.modules and edge.imported not in seen:
                seen.add(edge.imported)
                todo.append(edge.imported)
    return seen


def levels(graph: ChildGraph) -> tuple[list[list[str]], list[list[str]]]:
    """The children by level, highest first, and the children caught in cycles."""
    parts = components({k: set(v) for k, v in graph.edges.items()})
    tangled = [sorted(part) for part in parts if len(part) > 1]
    member = {node: index for index, part in enumerate(parts) for node in part}
    height: dict[int, int] = {}
    for index, part in enumerate(parts):  # dependencies come first in Tarjan's order
        below = {member[t] for node in part for t in graph.edges[node]} - {index}
        height[index] = 1 + max((height[b] for b in below), default=-1)
    by_level: dict[int, list[str]] = {}
    for index, part in enumerate(parts):
        if len(part) == 1:
            by_level.setdefault(height[index], []).append(part[0])
    ordered = [sorted(by_level[level]) for level in sorted(by_level, reverse=True)]
    return ordered, tangled


def cycles(graph: ChildGraph) -> list[list[str]]:
    """Import cycles among the children themselves (what ``acyclic`` judges)."""
    return [
        sorted(p) for p in components({k: set(v) for k, v in graph.edges.items()}) if len(p) > 1
    ]


def layers_proposal(graph: ChildGraph) -> Proposal | None:
    ordered, tangled = levels(graph)
    if len(ordered) < 2:
        return None
    layers: list[object] = [level[0] if len(level) == 1 else level for level in ordered]
    evidence = [
        f"{len(graph.children)} children of `{graph.package}`; every import among the "
        f"{sum(map(len, ordered))} layered ones points down this order today.",
    ]
    field = LAYERS.name  # the kind's list has the kind's name
    fields: list[tuple[str, object]] = [("containers", [graph.package]), (field, layers)]
    if graph.allow_type_checking:
        fields.append(("allow_type_checking", True))
        evidence.append(
            "Imports under `if TYPE_CHECKING:` (annotations only) would break this order "
            "today; they are allowed in any direction."
        )
    for upper, lower in itertools.pairwise(ordered):
        example = next(
            (graph.examples[(u, w)] for u in upper for w in lower if (u, w) in graph.examples),
            None,
        )
        if example:
            evidence.append(f"{' / '.join(upper)} above {' / '.join(lower)}: {example}")
    siblings = [level for level in ordered if len(level) > 1]
    if siblings:
        evidence.append(
            "Independent today (siblings on one level): "
            + "; ".join(", ".join(level) for level in siblings)
        )
    for group in tangled:
        evidence.append(f"Left out, they reach each other by import chains: {', '.join(group)}")
    return Proposal(
        slug=f"{graph.package.replace('.', '-')}-layers",
        title=f"The modules of {graph.package} keep their layers",
        kind=LAYERS.name,
        fields=tuple(fields),
        evidence=tuple(evidence),
        tags=("layering", "inferred"),
    )


def acyclic_proposal(graph: ChildGraph) -> Proposal:
    found_cycles = cycles(graph)
    count = len(graph.examples)
    if found_cycles:
        found = "; ".join(", ".join(c) for c in found_cycles)
        evidence = f"Cycles today (kept in the baseline until they are broken): {found}"
    else:
        evidence = "No cycle today."
    return Proposal(
        slug=f"{graph.package.replace('.', '-')}-acyclic",
        title=f"No import cycles among the modules of {graph.package}",
        kind=ACYCLIC.name,
        fields=(("packages", [graph.package]),),
        evidence=(f"{len(graph.children)} children, {count} imports among them.", evidence),
        tags=("cycles", "inferred"),
    )


def dependencies_proposal(
    package: str, folder: str, imports: Mapping[str, Sequence[str]], first_party: frozenset[str]
) -> Proposal:
    """``imports``: path -> the modules it imports, for the files under ``folder``."""
    used: dict[str, str] = {}
    for path in sorted(imports):
        for module in imports[path]:
            top = module.partition(".")[0]
            if top in first_party or top in STANDARD:
                continue
            used.setdefault(normalise(top), path)
    allow = sorted(used)
    evidence = [f"`{name}`: first imported in `{used[name]}`" for name in allow]
    return Proposal(
        slug=f"{package.replace('.', '-')}-dependencies",
        title=f"{package} imports only the third-party packages it uses today",
        kind=DEPENDENCIES.name,
        fields=(("paths", [f"{folder}/**"]), ("allow", allow)),
        evidence=tuple(evidence or ["No third-party import today."]),
        tags=(DEPENDENCIES.name, "inferred"),
    )


def packages_to_propose(graph: ImportGraph) -> list[str]:
    """First-party packages with at least ``MIN_CHILDREN`` children, outermost first."""
    names = set(graph.modules)
    found = []
    for name in sorted(names):
        prefix = name + "."
        children = {m[len(prefix) :].partition(".")[0] for m in names if m.startswith(prefix)}
        if len(children) >= MIN_CHILDREN:
            found.append(name)
    return found


NOT_PRODUCT = frozenset({"tests", "test", "testing", "docs", "doc", "scripts", "examples"})


def propose(view: SnapshotView) -> list[Proposal]:
    """Every starter decision for the snapshot, outermost package first."""
    graph = view.graph
    proposals: list[Proposal] = []
    product = [p for p in packages_to_propose(graph) if p.partition(".")[0] not in NOT_PRODUCT]
    for package in product:
        strict = child_graph(graph, package)
        loose = child_graph(graph, package, allow_type_checking=True)
        layered = layers_proposal(loose if loose.edges != strict.edges else strict)
        if layered:
            proposals.append(layered)
        proposals.append(acyclic_proposal(child_graph(graph, package)))
    tops = sorted(
        m
        for m, path in view.index.modules.items()
        if "." not in m and m not in NOT_PRODUCT and path.endswith("/__init__.py")
    )
    for package in tops:
        folder = view.index.modules[package].rpartition("/")[0]
        under = [p for p in view.files if p.startswith(folder + "/") and p.endswith(".py")]
        imports = {p: [i.module for i in view.facts(p).imports] for p in under}
        proposals.append(dependencies_proposal(package, folder, imports, view.index.top_level))
    return proposals
