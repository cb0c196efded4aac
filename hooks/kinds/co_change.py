"""co-change: when files matching ``when`` change, files matching ``require`` must too.

``when`` files are those of the change inside the decision's scope; ``require`` globs
are matched against every file of the change (a migration may live outside the scope of
the models it follows). Reported once per commit, at the first ``when`` file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from charter.hooks.context import finding, governs
from charter.hooks.globs import GlobSet

if TYPE_CHECKING:
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import CoChange
    from charter.hooks.findings import Finding
    from charter.hooks.source.changes import Change


def check(active: ActiveConstraint, changed: Sequence[Change]) -> Iterator[Finding]:
    constraint: CoChange = active.constraint
    in_scope, when, require = governs(active), GlobSet(constraint.when), GlobSet(constraint.require)
    triggers = [c.path for c in changed if in_scope(c.path) and when.match(c.path)]
    if not triggers or any(require.match(c.path) for c in changed):
        return
    others = f" (and {len(triggers) - 1} more)" if len(triggers) > 1 else ""
    yield finding(
        active,
        triggers[0],
        0,
        0,
        f"{triggers[0]}{others} changed, but no file matching "
        f"{', '.join(constraint.require)} changed with it",
        "co-change",
    )
