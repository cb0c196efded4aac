"""Architecture metrics of a tree that need no rule: drift measured apart from any set.

From the Python files alone: the first-party import graph (a module is a file inside a
package, i.e. under folders that hold ``__init__.py``), its edges inside import cycles,
and, one level up, the coupling between the root packages' direct children ("units":
``requests.sessions``, ``requests.packages``): the edges between units, the edges that
tie two units both ways (no layering of the units can hold them: layer-breaking), and
the units' mean instability, Ce / (Ca + Ce) (Martin). Each is its own metric, in its
own unit, never summed with another.
"""

from __future__ import annotations

import ast
import io
import tarfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

from charter.hooks.source.graph import components
from charter.simulator.records import Architecture


def module_names(paths: Iterable[str]) -> dict[str, str]:
    """Module name -> path, for the files inside packages (``a/b/__init__.py`` is a.b)."""
    listed = set(paths)
    found: dict[str, str] = {}
    for path in sorted(listed):
        pure = PurePosixPath(path)
        if pure.suffix != ".py":
            continue
        parts = [] if pure.name == "__init__.py" else [pure.stem]
        folder = pure.parent
        while str(folder) != "." and str(folder / "__init__.py") in listed:
            parts.insert(0, folder.name)
            folder = folder.parent
        if len(parts) > (0 if pure.name == "__init__.py" else 1):
            found[".".join(parts)] = path
    return found


def _targets(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    """The first-party modules ``module`` imports (grimp's reading of ``from a import b``:
    the module ``a.b`` when there is one, else ``a``)."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def graph(files: Mapping[str, bytes]) -> tuple[dict[str, set[str]], int]:
    """The first-party import graph of ``files`` (path -> content), and how many of
    its modules could not be parsed."""
    modules = module_names(files)
    known = set(modules)
    edges: dict[str, set[str]] = {m: set() for m in modules}
    unparsed = 0
    for module, path in modules.items():
        try:
            tree = ast.parse(files[path], filename=path)
        except (SyntaxError, ValueError):
            unparsed += 1
            continue
        edges[module] = _targets(tree, module, path.endswith("__init__.py"), known)
    return edges, unparsed


def _in_cycles(edges: Mapping[str, set[str]]) -> int:
    where = {n: i for i, c in enumerate(components(edges)) for n in c}
    return sum(where[a] == where[b] for a, targets in edges.items() for b in targets)


def _unit(module: str) -> str:
    return ".".join(module.split(".")[:2])


def measure(files: Mapping[str, bytes]) -> Architecture:
    edges, unparsed = graph(files)
    units: dict[str, set[str]] = defaultdict(set)
    for importer, targets in edges.items():
        units[_unit(importer)]  # a unit that imports nothing is still a unit
        for target in targets:
            if _unit(target) != _unit(importer):
                units[_unit(importer)].add(_unit(target))
    afferent: dict[str, int] = defaultdict(int)
    for targets in units.values():
        for target in targets:
            afferent[target] += 1
    coupled = [u for u in units if units[u] or afferent[u]]
    instability = [len(units[u]) / (len(units[u]) + afferent[u]) for u in coupled]
    return Architecture(
        modules=len(edges),
        import_edges=sum(len(t) for t in edges.values()),
        cycle_edges=_in_cycles(edges),
        unit_edges=sum(len(t) for t in units.values()),
        layer_breaking_edges=_in_cycles(units),
        instability=round(sum(instability) / len(instability), 4) if instability else 0.0,
        unparsed=unparsed,
    )


def python_files(tar: bytes) -> dict[str, bytes]:
    """The files of a tar archive (``git archive`` of the Python files), by path."""
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        for member in archive.getmembers():
            handle = archive.extractfile(member) if member.isfile() else None
            if handle is not None:
                found[member.name] = handle.read()
    return found
