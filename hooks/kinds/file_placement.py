"""file-placement: files in scope must match ``allow`` and must not match ``deny``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from charter.hooks.context import finding
from charter.hooks.globs import GlobSet

if TYPE_CHECKING:
    from charter.hooks.context import Context
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import FilePlacement
    from charter.hooks.findings import Finding


def check(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: FilePlacement = active.constraint
    allow = GlobSet(constraint.allow or ())
    deny = GlobSet(constraint.deny or ())
    for path in context.in_scope(active):
        if constraint.allow is not None and not allow.match(path):
            where = ", ".join(constraint.allow)
            yield finding(active, path, 0, 0, f"file is outside {where}", "placement")
        elif deny.match(path):
            yield finding(active, path, 0, 0, "file is in a denied place", "placement")
