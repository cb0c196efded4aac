"""Check a proposed change before it is written: the violations it would introduce.

The change is a set of new file contents laid over the working tree in memory
(``Overlay``); ``verdict.judge_snapshot`` judges it against the tree as it is, the rule
``charter check`` applies to a commit.
"""

from __future__ import annotations

from collections.abc import Mapping

from charter.hooks.decisions.compile import load_active
from charter.hooks.report import Report
from charter.hooks.settings import Settings
from charter.hooks.source.cache import Cache
from charter.hooks.source.snapshot import Overlay, WorkTree
from charter.hooks.verdict import judge_snapshot


def introduced(settings: Settings, changes: Mapping[str, bytes | None]) -> Report:
    """The report of the violations ``changes`` (path -> bytes, None: deleted) introduce."""
    root = settings.root
    cache = Cache(root / settings.cache_dir)
    tree = WorkTree(root)
    verdict = judge_snapshot(Overlay(tree, changes), tree, load_active(settings), settings, cache)
    return verdict.report(root)
