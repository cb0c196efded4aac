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


def needles(active: ActiveConstraint) -> frozenset[str]:
    """Words a file must contain to use a banned name: the name's last part.

    Every way of reaching ``a.b.c`` writes ``c`` (``a.b.c``, ``from a.b import c as
    x``, ``import a.b.c as x``), so a file without it needs no parse for this rule.
    """
    names: list[str] = active.constraint.names
    return frozenset(name.rpartition(".")[2] for name in names)


def may_use(text: str | None, words: frozenset[str]) -> bool:
    return text is not None and any(word in text for word in words)


def check(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: BannedApi = active.constraint
    banned = frozenset(constraint.names)
    words = needles(active)
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
