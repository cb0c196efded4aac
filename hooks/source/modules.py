"""Which module lives in which file: the first-party module index.

Modules are found under the source roots (``src/`` layout, flat layout, or explicit
folders) and under explicit package folders (``packages = {"charter.hooks" = "hooks"}``,
read from setuptools' ``package-dir`` by default). Module patterns follow
import-linter: ``*`` stands for one name, ``**`` for one or more; a plain name also
covers its submodules.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from charter.hooks.lazyre import Lazy

_IDENT = Lazy(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class ModuleIndex:
    """The repository's Python modules, by dotted name."""

    modules: Mapping[str, str]  # dotted module name -> repository-relative path

    @functools.cached_property
    def top_level(self) -> frozenset[str]:
        """The top-level names of the modules (asked by every kind that tells first-party
        names from others; made once: ~880 names on Django)."""
        return frozenset(name.partition(".")[0] for name in self.modules)

    def resolves(self, pattern: str) -> bool:
        regex = pattern_regex(pattern)
        return any(regex.match(name) for name in self.modules)


@functools.lru_cache(maxsize=1024)
def pattern_regex(pattern: str, submodules: bool = True) -> re.Pattern[str]:
    """Regex for a module pattern, matching the module (and, by default, its submodules)."""
    parts = []
    for segment in pattern.split("."):
        if segment == "*":
            parts.append(r"[^.]+")
        elif segment == "**":
            parts.append(r"[^.]+(?:\.[^.]+)*")
        else:
            parts.append(re.escape(segment))
    suffix = r"(?:\..+)?" if submodules else ""
    return re.compile(r"\A" + r"\.".join(parts) + suffix + r"\Z")


def module_name(relative: str) -> str | None:
    """``app/api/views.py`` -> ``app.api.views``; ``app/__init__.py`` -> ``app``."""
    if relative.endswith(".pyi"):
        stem = relative[:-4]
    elif relative.endswith(".py"):
        stem = relative[:-3]
    else:
        return None
    parts = stem.split("/")
    if parts[-1] == "__init__":
        parts.pop()
    if not parts or not all(map(_identifier, parts)):
        return None
    return ".".join(parts)


@functools.lru_cache(maxsize=4096)
def _identifier(part: str) -> bool:
    """Whether a path's part can name a module (each folder's name recurs in a tree)."""
    return _IDENT.get().match(part) is not None


def build_index(
    files: Iterable[str],
    source_roots: Iterable[str],
    packages: Mapping[str, str],
    namespace_packages: bool = False,
) -> ModuleIndex:
    """Index the Python files among ``files`` by module name.

    As grimp (import-linter) does, a folder inside a package without an
    ``__init__.py`` is not a package: its files are no modules, unless
    ``namespace_packages`` (PEP 420) is set. A top-level package needs none.
    """
    files = list(files)
    inits = None if namespace_packages else _package_folders(files)
    package_dirs = sorted(
        ((folder.strip("/") + "/", name) for name, folder in packages.items()),
        key=lambda item: -len(item[0]),
    )
    roots = sorted(
        ("" if root in (".", "") else root.strip("/") + "/" for root in source_roots),
        key=len,
        reverse=True,
    )
    modules: dict[str, str] = {}
    folders: dict[tuple[str, str], bool] = {}  # (root, folder) -> in packages (``_in_packages``)
    for path in files:
        if not path.endswith((".py", ".pyi")):
            continue
        name = _name_in_packages(path, package_dirs, inits)
        if name is None and not any(path.startswith(folder) for folder, _ in package_dirs):
            name = _name_in_roots(path, roots, inits, folders)
        if name is not None and (name not in modules or path.endswith(".py")):
            modules[name] = path
    return ModuleIndex(modules)


def _package_folders(files: list[str]) -> frozenset[str]:
    """Folders holding an ``__init__.py`` (or ``.pyi``), with a trailing slash."""
    return frozenset(
        path.rpartition("/")[0] + "/"
        for path in files
        if path.rpartition("/")[2] in ("__init__.py", "__init__.pyi")
    )


def _in_packages(base: str, rest: str, inits: frozenset[str] | None, first: int) -> bool:
    """Whether every folder of ``rest`` from the ``first``-th on is a package."""
    if inits is None:
        return True
    end = -1  # the slash after each folder in turn
    for _ in range(first):
        end = rest.find("/", end + 1)
        if end == -1:
            return True
    while (end := rest.find("/", end + 1)) != -1:
        if base + rest[: end + 1] not in inits:
            return False
    return True


def _name_in_packages(
    path: str, package_dirs: list[tuple[str, str]], inits: frozenset[str] | None
) -> str | None:
    for folder, package in package_dirs:
        if path.startswith(folder):
            rest = path[len(folder) :]
            if not _in_packages(folder, rest, inits, 0):
                return None
            return module_name(package.replace(".", "/") + "/" + rest)
    return None


def _name_in_roots(
    path: str, roots: list[str], inits: frozenset[str] | None, folders: dict[tuple[str, str], bool]
) -> str | None:
    """The module of a file under a source root; ``folders`` keeps each folder's answer
    to ``_in_packages`` (it depends on the folders alone), for the folder's other files."""
    for root in roots:
        if path.startswith(root):
            rest = path[len(root) :]
            key = (root, rest.rpartition("/")[0])
            packaged = folders.get(key)
            if packaged is None:
                packaged = folders[key] = _in_packages(root, rest, inits, 1)
            return module_name(rest) if packaged else None
    return None
