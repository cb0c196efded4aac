"""The third-party packages a project declares in ``pyproject.toml``."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from charter.hooks import tomlfile
from charter.hooks.errors import CharterError
from charter.hooks.lazyre import Lazy

# What ships with Python: the standard library, ``__future__``, and ``_typeshed`` (the
# stub-only module annotations import under ``if TYPE_CHECKING:``).
STANDARD = frozenset(sys.stdlib_module_names) | {"__future__", "_typeshed"}

_NAME = Lazy(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalise(name: str) -> str:
    """``PyYAML`` -> ``pyyaml``, ``typing-extensions`` -> ``typing_extensions``."""
    return re.sub(r"[-.]+", "_", name).lower()


def declared(root: Path) -> frozenset[str]:
    """Normalised names of ``[project]`` dependencies and optional dependencies."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return frozenset()
    try:
        project = tomlfile.table(tomlfile.read(path), "project") or {}
    except (CharterError, TypeError):
        return frozenset()  # an invalid pyproject.toml is reported where settings are read
    requirements: list[Any] = _items(project.get("dependencies"))
    groups = project.get("optional-dependencies")
    for group in groups.values() if isinstance(groups, dict) else ():
        requirements.extend(_items(group))
    names = set()
    for requirement in requirements:
        match = _NAME.get().match(str(requirement))
        if match:
            names.add(normalise(match.group(1)))
    return frozenset(names)


def _items(value: Any) -> list[Any]:
    """A list from pyproject.toml, or [] when it holds something else (pip reports it)."""
    return list(value) if isinstance(value, list) else []
