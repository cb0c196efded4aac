"""The code of ``python`` checks: changing it changes the rule.

A ``python`` check's rule is its code, which Charter cannot compare: a change that
modifies, renames or deletes the module of a check an accepted decision enforces may
make the check pass anything, so it weakens governance as a changed ``pattern`` does.
(Modules the check imports are the team's to guard, with a ``protected`` rule.)
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from charter.hooks.governance.weakening import Weakening
from charter.hooks.source.snapshot import Snapshot

if TYPE_CHECKING:
    from charter.hooks.settings import Settings


def weakenings(base: Snapshot, settings: Settings, paths: Collection[str]) -> Iterator[Weakening]:
    from charter.hooks.decisions.compile import load_active_from
    from charter.hooks.kinds import KINDS, Reads

    cache = settings.root / settings.cache_dir
    rules = [
        rule
        for rule in load_active_from(base, settings.decisions, cache)
        if KINDS[rule.kind].reads is Reads.ANYTHING and rule.severity == "error"
    ]
    if not rules:
        return  # no check is a team's own code (imported only when one is)
    from charter.hooks.kinds.plugin import module_of
    from charter.hooks.source.importer import SnapshotFinder

    finder = SnapshotFinder(base, settings.source_roots, settings.packages)
    for rule in rules:
        check = str(rule.constraint.check)
        found = finder.locate(module_of(check))
        if found is None or found[1] not in paths:
            continue
        yield Weakening(
            found[1],
            1,
            f"changes the code of {rule.id} (python check {check!r}) of {rule.decision}: "
            "Charter cannot prove the new code is as strict",
            f"plugin:{rule.id}:{found[1]}",
        )
