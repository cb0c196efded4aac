"""dependencies: third-party imports must be allowed, or must not be forbidden.

An import is third-party when its top-level package is neither first-party (in the
module index) nor in the standard library. Names compare normalised
(``PyYAML``/``pyyaml``, ``typing-extensions``/``typing_extensions``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from charter.hooks.context import finding
from charter.hooks.source.requirements import normalise

if TYPE_CHECKING:
    from charter.hooks.context import Context
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import Dependencies
    from charter.hooks.findings import Finding


def check(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: Dependencies = active.constraint
    allow = None if constraint.allow is None else {normalise(n) for n in constraint.allow}
    forbid = {normalise(n) for n in constraint.forbid or ()}
    first_party = context.index.top_level
    for path in context.in_scope(active):
        if not path.endswith((".py", ".pyi")):
            continue
        for imp in context.facts(path).imports:
            top = imp.module.partition(".")[0]
            if top in first_party or top in sys.stdlib_module_names or top == "__future__":
                continue
            name = normalise(top)
            if name in forbid:
                message = f"imports {top}, a forbidden dependency"
            elif allow is not None and name not in allow:
                message = f"imports {top}, which is not an allowed dependency"
            else:
                continue
            yield finding(active, path, imp.line, imp.col, message, top)
