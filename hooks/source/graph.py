"""The import graph of the first-party modules, with the place of every import.

Semantics follow import-linter (grimp): ``from a import b`` imports ``a.b`` when that
is a module, else ``a``; ``import a.b.c`` imports ``a.b.c``; third-party imports are
edges to the module as written, with no edges out of them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property
from itertools import takewhile
from operator import itemgetter
from typing import NamedTuple

from charter.hooks.source.modules import pattern_regex
from charter.hooks.source.table import Row


class Edge(NamedTuple):
    """One import of one module by another, where it is written.

    A named tuple, not a frozen dataclass: Django's graph holds ~4,300 of them, and a
    frozen dataclass's ``__init__`` (one ``object.__setattr__`` per field) made building
    them the graph's largest cost.
    """

    importer: str
    imported: str
    line: int
    col: int
    type_checking: bool


_IMPORTED = itemgetter(1)  # an Edge's ``imported``, in C


class ImportGraph:
    def __init__(self, modules: Mapping[str, str], imports: Mapping[str, Iterable[Row]]) -> None:
        """``modules``: module -> path; ``imports``: module -> its imports."""
        self.modules = modules
        self.edges: dict[str, list[Edge]] = {}
        self._reverse_cache: dict[bool, dict[str, list[Edge]]] = {}
        self._routes: dict[tuple[object, ...], dict[str, Edge]] = {}
        self._named: dict[tuple[str, bool], frozenset[str]] = {}
        # The graph's largest cost on a large tree (~90,000 rows): each row's targets are
        # found inline, and each Edge made in C (``Edge(...)`` runs a Python ``__new__``).
        make = tuple.__new__
        for module, rows in imports.items():
            out: list[Edge] = []
            for imported, names, line, col, type_checking in rows:
                # ``from a import b`` imports ``a.b`` when that is a module, else ``a``.
                whole = not names
                for name in names:
                    target = f"{imported}.{name}"
                    if target not in modules:
                        whole = True
                    elif target != module:
                        out.append(make(Edge, (module, target, line, col, type_checking)))
                if whole and imported != module:
                    out.append(make(Edge, (module, imported, line, col, type_checking)))
            self.edges[module] = out

    def without(self, ignore: Iterable[str]) -> tuple[ImportGraph, tuple[str, ...]]:
        """This graph less the imports ``ignore`` names, and the entries that matched none.

        An entry is ``'importer -> imported'`` (import-linter's ``ignore_imports``):
        each side names modules exactly, ``*`` standing for one segment and ``**`` for
        any number. A third-party import also matches by its top-level package, as
        grimp squashes external packages.
        """
        matchers = [
            (entry, _exact(importer), _exact(imported))
            for entry in ignore
            for importer, _, imported in [entry.partition("->")]
        ]
        unmatched = {entry for entry, _, _ in matchers}
        edges: dict[str, list[Edge]] = {}
        for module, out in self.edges.items():
            kept = []
            for edge in out:
                external = edge.imported not in self.modules
                names = (edge.imported, edge.imported.partition(".")[0]) if external else None
                hits = [
                    entry
                    for entry, importer, imported in matchers
                    if importer(module)
                    and (imported(edge.imported) or (names is not None and imported(names[1])))
                ]
                unmatched.difference_update(hits)
                if not hits:
                    kept.append(edge)
            edges[module] = kept
        graph = ImportGraph(self.modules, {})
        graph.edges = edges
        return graph, tuple(entry for entry, _, _ in matchers if entry in unmatched)

    def out_edges(self, module: str, allow_type_checking: bool = False) -> Sequence[Edge]:
        """The module's imports (those under ``TYPE_CHECKING`` left out when allowed)."""
        out = self.edges.get(module, ())
        if allow_type_checking:
            return [edge for edge in out if not edge.type_checking]
        return out

    @cached_property
    def nodes(self) -> list[str]:
        """Every module of the graph, first-party or imported, sorted."""
        found = set(self.modules)
        found.update(self.edges)
        for out in self.edges.values():
            found.update(map(_IMPORTED, out))
        return sorted(found)

    def named(self, pattern: str, submodules: bool = True) -> frozenset[str]:
        """The modules of the graph (``nodes``) a module pattern names, found once per
        pattern: the import rules then test a module by membership, where testing the
        pattern took ~10,000 calls on Django's cold run.

        A pattern without a wildcard names only modules it is a prefix of, a range of
        the sorted nodes; its regular expression then decides among those.
        """
        key = (pattern, submodules)
        found = self._named.get(key)
        if found is None:
            regex = pattern_regex(pattern, submodules)
            nodes: Iterable[str] = self.nodes
            if "*" not in pattern:
                start = bisect_left(self.nodes, pattern)
                nodes = takewhile(lambda node: node.startswith(pattern), self.nodes[start:])
            found = self._named[key] = frozenset(n for n in nodes if regex.match(n))
        return found

    def routes_to(
        self,
        targets: frozenset[str],
        allow_type_checking: bool = False,
        avoid: frozenset[str] | None = None,
    ) -> dict[str, Edge]:
        """For each module that reaches a target: the first import of a shortest chain.

        One breadth-first search backwards from all targets at once, so a rule costs one
        search, not one per module. Chains never pass through a target or through a
        module in ``avoid`` (such a module may still start a chain). The search is done
        once per ``targets``, ``allow_type_checking`` and ``avoid``.
        """
        key = (targets, allow_type_checking, avoid)
        first = self._routes.get(key)
        if first is not None:
            return first
        reverse = self._reverse(allow_type_checking)
        seen = set(targets.intersection(reverse))
        first = self._routes[key] = {}
        queue = deque(sorted(seen))
        while queue:
            for edge in reverse.get(queue.popleft(), ()):
                importer = edge.importer
                if importer in seen:
                    continue
                seen.add(importer)
                first[importer] = edge
                if avoid is None or importer not in avoid:
                    queue.append(importer)
        return first

    @staticmethod
    def chain(start: str, routes: Mapping[str, Edge]) -> list[Edge] | None:
        """The chain of imports from ``start`` that ``routes`` describes, or None."""
        if start not in routes:
            return None
        chain = [routes[start]]
        while chain[-1].imported in routes:
            chain.append(routes[chain[-1].imported])
        return chain

    def _reverse(self, allow_type_checking: bool) -> dict[str, list[Edge]]:
        cached = self._reverse_cache.get(allow_type_checking)
        if cached is None:
            cached = {}
            for module in sorted(self.edges):
                for edge in self.out_edges(module, allow_type_checking):
                    cached.setdefault(edge.imported, []).append(edge)
            self._reverse_cache[allow_type_checking] = cached
        return cached

    def cycles(self, nodes: Iterable[str], squash: Callable[[str], str | None]) -> list[list[str]]:
        """Strongly connected components (size > 1) of the graph squashed onto ``nodes``.

        ``squash`` maps a module to the node it belongs to (or None).
        """
        members = set(nodes)
        adjacency: dict[str, set[str]] = {node: set() for node in members}
        for module, edges in self.edges.items():
            source = squash(module)
            if source not in adjacency:
                continue
            for edge in edges:
                # An import of a module that is not in the graph (excluded by the config,
                # or not first-party) cannot close a cycle the graph can see.
                target = squash(edge.imported)
                if target in adjacency and target != source:
                    adjacency[source].add(target)
        return [sorted(c) for c in _tarjan(adjacency) if len(c) > 1]


def components(adjacency: Mapping[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of a plain graph, a node's dependencies first."""
    return _tarjan(adjacency)


def _tarjan(adjacency: Mapping[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = 0
    for root in sorted(adjacency):
        if root in index:
            continue
        work = [(root, iter(sorted(adjacency[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(adjacency[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


def _exact(pattern: str) -> Callable[[str], bool]:
    regex = pattern_regex(pattern.strip(), submodules=False)
    return lambda module: regex.match(module) is not None
