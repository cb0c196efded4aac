"""Words for a kind's example of a violation and its fix (``Kind.example``).

An example is made from the constraint's own fields, so it never names a module or a
glob the decision does not: these helpers turn a field into a module name or a path it
matches.
"""

from __future__ import annotations

import re
from typing import Any

Example = tuple[str, str]  # (a violation, its fix)


def first(values: Any) -> str:
    """The first entry of a field (a string or a list; a nested list gives its first)."""
    items = [values] if isinstance(values, str) else list(values or ())
    item = items[0] if items else "x"
    return item if isinstance(item, str) else str(item[0])


def module_like(pattern: str) -> str:
    """A module name a pattern matches: ``app.*.views`` -> ``app.x.views``."""
    return pattern.replace(".**", ".x").replace("*", "x")


def path_like(glob: str) -> str:
    """A path a glob matches: ``migrations/0*.py`` -> ``migrations/0example.py``."""
    path = glob.rstrip("/") + ("/example.py" if glob.endswith("/") else "")
    path = path.replace("**/", "").replace("**", "example").replace("*", "example")
    return re.sub(r"\[([^\]])[^\]]*\]", r"\1", path).replace("?", "x")
