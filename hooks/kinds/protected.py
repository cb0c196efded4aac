"""protected: a commit must not modify or delete these paths (adding new files is fine).

Judged on the change, not on a snapshot: applied migrations, vendored code and stable
files stay as they are unless the commit carries a ``Charter-Waive:`` trailer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from charter.hooks.context import finding, governs

if TYPE_CHECKING:
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.findings import Finding
    from charter.hooks.source.changes import Change


def check(active: ActiveConstraint, changed: Sequence[Change]) -> Iterator[Finding]:
    covered = governs(active)
    for change in changed:
        if change.status != "added" and covered(change.path):
            yield finding(
                active,
                change.path,
                0,
                0,
                f"protected file {change.status}",
                change.status,
            )
