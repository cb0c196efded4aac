"""Import Python code from a snapshot: the code of ``python`` checks.

A ``python`` check is part of the rules, so its code comes from the snapshot whose rules
are judged (the index under ``check --staged``, each commit under a range), never from
the working tree, where an unstaged or untracked edit could make a check pass. While a
check is imported and run (``served``):

- a finder at the front of ``sys.meta_path`` serves the modules the snapshot holds
  under the source roots, the package folders and the repository root, reading their
  text from the snapshot's blobs; their packages' ``__path__`` names no folder on disk,
  so a submodule the snapshot lacks is missing, not read from the working tree;
- ``sys.modules`` holds no other copy of those modules, and the ones loaded are dropped
  afterwards, so the next snapshot (the next commit of a range) loads its own;
- modules outside the snapshot (installed packages, the standard library, Charter
  itself) import as usual.

The import system is shared by the whole process: one snapshot is served at a time.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

from charter.hooks.source.snapshot import Snapshot

ENGINE = "charter"  # the running Charter is never replaced by a copy in the snapshot
_MARKER = "<charter snapshot>/"  # a package path no path finder can read
_LOCK = threading.RLock()


class _Loader(importlib.abc.Loader):
    """Executes a module's text as the snapshot holds it."""

    def __init__(self, snapshot: Snapshot, path: str) -> None:
        self.snapshot = snapshot
        self.path = path

    def get_source(self, fullname: str) -> str:
        data = self.snapshot.read(self.path)
        if data is None:
            raise ImportError(f"{self.path} is not in the {self.snapshot.label}", name=fullname)
        return data.decode("utf-8", "replace")

    def exec_module(self, module: ModuleType) -> None:
        origin = str(self.snapshot.root / self.path)
        code = compile(self.get_source(module.__name__), origin, "exec", dont_inherit=True)
        exec(code, module.__dict__)  # the team's own check, as an import would run it


class SnapshotFinder(importlib.abc.MetaPathFinder):
    """Finds modules in a snapshot, as the import system would on its folders."""

    def __init__(
        self, snapshot: Snapshot, source_roots: Sequence[str], packages: Mapping[str, str]
    ) -> None:
        self.snapshot = snapshot
        self.files = frozenset(snapshot.files())
        self.folders = frozenset(
            path.rsplit("/", depth)[0]
            for path in self.files
            for depth in range(1, path.count("/") + 1)
        )
        self.packages = sorted(packages.items(), key=lambda item: -len(item[0]))
        roots = [root.strip("/") for root in (*source_roots, ".")]
        self.roots = list(dict.fromkeys("" if root in ("", ".") else root for root in roots))
        self._claims: dict[str, bool] = {}

    def _bases(self, fullname: str) -> Iterator[str]:
        """Where the module's file would be (without ``.py``), in search order."""
        for package, folder in self.packages:
            if fullname == package or fullname.startswith(package + "."):
                rest = fullname[len(package) :].lstrip(".").replace(".", "/")
                yield "/".join(part for part in (folder.strip("/"), rest) if part)
        relative = fullname.replace(".", "/")
        for root in self.roots:
            yield f"{root}/{relative}" if root else relative

    def locate(self, fullname: str) -> tuple[str, str] | None:
        """``("package" | "module" | "namespace", path)`` of a module; None: not here."""
        if fullname.partition(".")[0] == ENGINE:
            return None
        namespace = None
        for base in self._bases(fullname):
            if f"{base}/__init__.py" in self.files:
                return "package", f"{base}/__init__.py"
            if f"{base}.py" in self.files:
                return "module", f"{base}.py"
            if namespace is None and base in self.folders:
                namespace = base
        if namespace is None or ("." not in fullname and _elsewhere(fullname)):
            return None  # a bare folder does not hide an installed module of its name
        return "namespace", namespace

    def claims(self, top: str) -> bool:
        """Whether the snapshot serves the top-level package ``top``."""
        if top not in self._claims:
            self._claims[top] = self.locate(top) is not None
        return self._claims[top]

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if not self.claims(fullname.partition(".")[0]):
            return None
        found = self.locate(fullname)
        if found is None:
            return None
        kind, where = found
        if kind == "namespace":
            spec = ModuleSpec(fullname, None, is_package=True)
            spec.submodule_search_locations = [_MARKER + where]
            return spec
        folder = [_MARKER + where.rpartition("/")[0]] if kind == "package" else None
        return importlib.util.spec_from_file_location(
            fullname,
            str(self.snapshot.root / where),
            loader=_Loader(self.snapshot, where),
            submodule_search_locations=folder,
        )


def _elsewhere(name: str) -> bool:
    try:
        return importlib.machinery.PathFinder.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


@contextlib.contextmanager
def served(
    snapshot: Snapshot, source_roots: Sequence[str], packages: Mapping[str, str]
) -> Iterator[None]:
    """Imports meanwhile read the snapshot's modules (see the module's docstring)."""
    with _LOCK:
        finder = SnapshotFinder(snapshot, source_roots, packages)

        def ours(name: str) -> bool:
            return finder.claims(name.partition(".")[0])

        saved = {name: module for name, module in list(sys.modules.items()) if ours(name)}
        for name in saved:
            del sys.modules[name]
        sys.meta_path.insert(0, finder)
        try:
            yield
        finally:
            sys.meta_path.remove(finder)
            for name in [name for name in list(sys.modules) if ours(name)]:
                del sys.modules[name]
            sys.modules.update(saved)
