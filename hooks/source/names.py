"""Whether a fully qualified name (``os.system``) names something, as far as it can tell.

A ``banned-api`` rule on ``os.sytem`` checks nothing and passes every commit: the typo
must be an error, with the name it probably meant. Names are looked up without running
the project's code: a standard-library module is imported (those are safe to import,
except the few with side effects on import, which are only found, not imported) and its
attributes walked; a first-party module is looked up in the module index; any other
module must at least be installed or declared, its attributes are not checked.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Collection

from charter.hooks.source.modules import ModuleIndex

# Standard-library modules that do something when imported.
_SIDE_EFFECTS = frozenset({"antigravity", "this", "idlelib", "tkinter", "turtle", "turtledemo"})


def name_problem(name: str, index: ModuleIndex, declared: Collection[str] = ()) -> str | None:
    """Why ``name`` names nothing (with a did-you-mean), or None when it may exist."""
    top = name.partition(".")[0]
    if index.resolves(name) or top in index.top_level:
        return None  # first-party: the module index is the authority on modules
    if top in sys.stdlib_module_names:
        return None if top in _SIDE_EFFECTS else _stdlib_problem(name)
    if top.replace("-", "_").lower() in declared:
        return None
    try:
        if importlib.util.find_spec(top) is not None:
            return None
    except (ImportError, ValueError):
        pass
    import difflib  # only for the error: a clean run never needs it

    close = difflib.get_close_matches(top, sorted(sys.stdlib_module_names), n=1, cutoff=0.75)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return (
        f"{name!r}: no module {top!r} in the project, the standard library, the declared "
        f"dependencies or the installed packages{hint}"
    )


def _stdlib_problem(name: str) -> str | None:
    parts = name.split(".")
    module = None
    depth = 0
    for depth in range(len(parts), 0, -1):  # the longest importable prefix
        try:
            module = importlib.import_module(".".join(parts[:depth]))
            break
        except Exception:
            continue
    if module is None:
        return None
    node: object = module
    for position in range(depth, len(parts)):
        attribute = parts[position]
        if not hasattr(node, attribute):
            owner = ".".join(parts[:position])
            options = [a for a in dir(node) if not a.startswith("__")]
            import difflib  # only for the error: a clean run never needs it

            close = difflib.get_close_matches(attribute, options, n=1, cutoff=0.6)
            hint = f" (did you mean {owner + '.' + close[0]!r}?)" if close else ""
            return f"{name!r}: {owner!r} has no {attribute!r}{hint}"
        node = getattr(node, attribute)
    return None
