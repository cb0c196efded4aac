"""Check a proposed change before it is written: the violations it would introduce.

The change is a set of new file contents laid over the working tree in memory
(``Overlay``); ``verdict.judge_snapshot`` judges it against the tree as it is, the rule
``charter check`` applies to a commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from charter.hooks import governance
from charter.hooks.decisions.compile import load_active
from charter.hooks.findings import number_occurrences
from charter.hooks.kinds import KINDS, change_findings
from charter.hooks.report import Report
from charter.hooks.settings import Settings
from charter.hooks.source import git
from charter.hooks.source.cache import Cache
from charter.hooks.source.changes import changes
from charter.hooks.source.snapshot import Commit, Overlay, WorkTree
from charter.hooks.verdict import judge_snapshot


def introduced(settings: Settings, edits: Mapping[str, bytes | None]) -> Report:
    """The report of the violations ``edits`` (path -> bytes, None: deleted) introduce.

    Besides the snapshot kinds: an edited protected file (against ``HEAD``), a co-change
    rule the uncommitted work does not meet yet (a warning: the other file may follow),
    and any weakening of governance the edit makes (no agent edit can be approved).
    """
    root = settings.root
    cache = Cache(root / settings.cache_dir)
    tree = WorkTree(root)
    proposed = Overlay(tree, edits)
    rules = load_active(settings)
    verdict = judge_snapshot(proposed, tree, rules, settings, cache)
    head = Commit(root, "HEAD") if git.head_exists(root) else None
    edited = set(edits)
    extra = [
        replace(f, severity="warning") if KINDS[f.kind].later_edit_may_satisfy else f
        for f in number_occurrences(change_findings(rules, changes(head, proposed)))
        if f.path in edited
    ]
    ours = [c for c in changes(tree, proposed) if c.path in edited]
    extra.extend(w.finding() for w in governance.weakenings(tree, proposed, settings, ours))
    return replace(verdict, reported=(*verdict.reported, *extra)).report(root)
