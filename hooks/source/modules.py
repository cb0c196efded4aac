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

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class ModuleIndex:
    modules: Mapping[str, str]  # dotted module name -> repository-relative path

    @property
    def top_level(self) -> frozenset[str]:
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
    if not parts or not all(_IDENT.match(part) for part in parts):
        return None
    return ".".join(parts)


def build_index(
    files: Iterable[str], source_roots: Iterable[str], packages: Mapping[str, str]
) -> ModuleIndex:
    """Index the Python files among ``files`` by module name."""
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
    for path in files:
        if not path.endswith((".py", ".pyi")):
            continue
        name = _name_in_packages(path, package_dirs)
        if name is None and not any(path.startswith(folder) for folder, _ in package_dirs):
            name = _name_in_roots(path, roots)
        if name is not None and (name not in modules or path.endswith(".py")):
            modules[name] = path
    return ModuleIndex(modules)


def _name_in_packages(path: str, package_dirs: list[tuple[str, str]]) -> str | None:
    for folder, package in package_dirs:
        if path.startswith(folder):
            return module_name(package.replace(".", "/") + "/" + path[len(folder) :])
    return None


def _name_in_roots(path: str, roots: list[str]) -> str | None:
    for root in roots:
        if path.startswith(root):
            return module_name(path[len(root) :])
    return None
