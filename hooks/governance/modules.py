"""Module renames that empty or narrow a rule: the rule still reads the same, but the
modules it names are no longer where it looks.

A constraint of an accepted decision that named a module the base has, and names
nothing in the change's snapshot (the module was renamed or removed), no longer checks
anything there; a module renamed out of a rule's pattern (``git mv app/db/orders.py
app/store/orders.py`` under ``to: [app.db.**]``) leaves it. Either is a weakening.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from charter.hooks.governance.weakening import Weakening
from charter.hooks.kinds import module_names
from charter.hooks.source.modules import ModuleIndex, build_index, pattern_regex
from charter.hooks.source.snapshot import Snapshot

if TYPE_CHECKING:
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.settings import Settings


def weakenings(
    base: Snapshot,
    current: Snapshot,
    settings: Settings,
    rules: Sequence[ActiveConstraint],
    moved: dict[str, str],
) -> Iterator[Weakening]:
    before = _index(base, settings)
    after = _index(current, settings)
    old_names = {_name(before, old): _name(after, new) for new, old in moved.items()}
    for rule in rules:
        for module in module_names(rule):
            pattern = pattern_regex(module.name)
            if before.resolves(module.name) and not after.resolves(module.name):
                what = f"no module matches {module.name!r} any more (renamed or removed)"
            else:
                left = sorted(
                    f"{old} -> {new}"
                    for old, new in old_names.items()
                    if old and new and pattern.match(old) and not pattern.match(new)
                )
                if not left:
                    continue
                what = f"{', '.join(left)} moves out of {module.name!r}"
            yield Weakening(
                rule.source,
                1,
                f"{rule.id} ({rule.kind}) of {rule.decision} narrows: {what}; to keep the "
                "rename, name the new module in the decision too, in a change a maintainer "
                "approves",
                f"module:{rule.id}:{module.name}",
            )


def _index(snapshot: Snapshot, settings: Settings) -> ModuleIndex:
    return build_index(snapshot.files(), settings.source_roots, settings.packages)


def _name(index: ModuleIndex, path: str) -> str | None:
    return next((name for name, where in index.modules.items() if where == path), None)
