"""banned-api: uses of fully qualified names, aliases resolved.

A call, an attribute access or an import of a banned name (or of something inside
it) is a finding, keyed by the banned name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from charter.hooks.context import finding

if TYPE_CHECKING:
    from charter.hooks.context import Context
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import BannedApi
    from charter.hooks.findings import Finding


def needles(active: ActiveConstraint, first_party: frozenset[str]) -> list[frozenset[str]]:
    """For each banned name, words a file must contain to use it.

    Every way of reaching ``a.b.c`` writes ``c``; when ``a`` is a third-party or standard
    module it also writes ``a`` and ``b`` (``import a.b``, ``from a.b import c``, ``import
    a.b as x; x.c``): only relative imports skip them, and those reach first-party
    modules. Builtins need no import. A file without the words needs no parse.
    """
    found = []
    for name in active.constraint.names:
        parts = str(name).split(".")
        outside = parts[0] not in first_party and parts[0] != "builtins"
        found.append(frozenset(parts if outside else parts[-1:]))
    return found


def may_use(text: str | None, words: list[frozenset[str]]) -> bool:
    return text is not None and any(all(w in text for w in each) for each in words)


def check(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: BannedApi = active.constraint
    banned = frozenset(constraint.names)
    words = needles(active, context.index.top_level)
    instead = f"; use {constraint.replacement}" if constraint.replacement else ""
    for path in context.in_scope(active):
        if not path.endswith((".py", ".pyi")):
            continue
        if path in context.module_of and not may_use(context.text(path), words):
            continue  # its syntax, if broken, is reported from the import table
        facts = context.facts(path)
        for imp in facts.imports:
            imported = [imp.module] if not imp.names else [f"{imp.module}.{n}" for n in imp.names]
            for name in imported:
                if name in banned:
                    message = f"imports banned {name}{instead}"
                    yield finding(active, path, imp.line, imp.col, message, name)
        for use in facts.uses:
            if use.name in banned:
                message = f"uses banned {use.name}{instead}"
                yield finding(active, path, use.line, use.col, message, use.name)
