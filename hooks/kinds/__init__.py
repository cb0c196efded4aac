"""The constraint kinds the engine checks on a snapshot, one module each.

Each check takes the constraint in force and the engine's context and yields findings.
``protected`` and ``co-change`` judge a change, not a snapshot: the commit-msg hook
checks them (they are not in this registry).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from charter.hooks.kinds import (
    banned_api,
    dependencies,
    file_placement,
    imports,
    patterns,
    plugin,
    ruff,
)

if TYPE_CHECKING:
    from charter.hooks.context import Context
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.findings import Finding

Check = Callable[["ActiveConstraint", "Context"], Iterable["Finding"]]

CHECKS: dict[str, Check] = {
    "forbid-import": imports.forbid_import,
    "layers": imports.layers,
    "independent": imports.independent,
    "acyclic": imports.acyclic,
    "banned-api": banned_api.check,
    "dependencies": dependencies.check,
    "file-placement": file_placement.check,
    "forbid-pattern": patterns.forbid,
    "require-pattern": patterns.require,
    "ruff": ruff.check,
    "python": plugin.check,
}
