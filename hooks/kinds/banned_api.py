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


def check(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: BannedApi = active.constraint
    banned = frozenset(constraint.names)
    instead = f"; use {constraint.replacement}" if constraint.replacement else ""
    for path in context.in_scope(active):
        if not path.endswith((".py", ".pyi")):
            continue
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
