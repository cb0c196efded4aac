"""Check a proposed change before it is written: the violations it would introduce.

The change is a set of new file contents laid over the working tree in memory
(``Overlay``). The engine runs on the tree as it is and on the tree with the change;
a violation is introduced when its fingerprint is not among the tree's own, not in the
baseline and not waived: the rule ``charter check`` applies to a commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from charter.hooks import __version__, baseline, engine, waivers
from charter.hooks.decisions.compile import load_active
from charter.hooks.report import Report
from charter.hooks.settings import Settings
from charter.hooks.source.cache import Cache
from charter.hooks.source.snapshot import Overlay, WorkTree


def introduced(settings: Settings, changes: Mapping[str, bytes | None]) -> Report:
    """The report of the violations ``changes`` (path -> bytes, None: deleted) introduce."""
    root = settings.root
    active = load_active(settings)
    cache = Cache(root / settings.cache_dir)
    tree = WorkTree(root)
    before, _ = engine.run(tree, active, settings, cache)
    after, view = engine.run(Overlay(tree, changes), active, settings, cache)
    cache.save()
    baselined = baseline.fingerprints(root / settings.baseline)
    applied = waivers.apply(
        [f for f in after if f.fingerprint not in baselined],
        view.marked(f.path for f in after),
        datetime.date.today(),
    )
    old = {f.fingerprint for f in before}
    reported = [f for f in applied.kept if f.fingerprint not in old]
    return Report(
        findings=tuple(reported),
        preexisting=len(applied.kept) - len(reported),
        baselined=sum(f.fingerprint in baselined for f in after),
        waived=len(applied.waived),
        notes=tuple(sorted(set(view.notes))),
        root=root.as_posix(),
        tool_version=__version__,
    )
