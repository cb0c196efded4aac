"""The constraint kinds the engine checks on a snapshot, one module each.

Each check in ``CHECKS`` takes the constraint in force and the engine's context and
yields findings. ``protected`` and ``co-change`` judge a change, not a snapshot: they
are in ``DIFF_CHECKS``, take the list of changed files, and the commit-msg hook runs
them (with the message in view, for ``Charter-Waive:`` trailers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from charter.hooks.kinds import (
    banned_api,
    co_change,
    dependencies,
    file_placement,
    imports,
    patterns,
    plugin,
    privacy,
    protected,
    ruff,
)

if TYPE_CHECKING:
    from charter.hooks.context import Context
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.findings import Finding
    from charter.hooks.source.changes import Change

Check = Callable[["ActiveConstraint", "Context"], Iterable["Finding"]]
DiffCheck = Callable[["ActiveConstraint", "Sequence[Change]"], Iterable["Finding"]]

CHECKS: dict[str, Check] = {
    "forbid-import": imports.forbid_import,
    "layers": imports.layers,
    "independent": imports.independent,
    "acyclic": imports.acyclic,
    "protected-modules": privacy.protected_modules,
    "private-modules": privacy.private_modules,
    "banned-api": banned_api.check,
    "dependencies": dependencies.check,
    "file-placement": file_placement.check,
    "forbid-pattern": patterns.forbid,
    "require-pattern": patterns.require,
    "ruff": ruff.check,
    "python": plugin.check,
}

DIFF_CHECKS: dict[str, DiffCheck] = {
    "protected": protected.check,
    "co-change": co_change.check,
}
