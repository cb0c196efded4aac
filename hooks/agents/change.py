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
from charter.hooks.kinds import KINDS, change_findings, judges_change
from charter.hooks.report import Report
from charter.hooks.settings import Settings
from charter.hooks.source import git
from charter.hooks.source.cache import Cache
from charter.hooks.source.changes import Change, changes
from charter.hooks.source.snapshot import Commit, Overlay, WorkTree, blob_id
from charter.hooks.verdict import judge_snapshot


def introduced(
    settings: Settings, edits: Mapping[str, bytes | None], tree: WorkTree | None = None
) -> Report:
    """The report of the violations ``edits`` (path -> bytes, None: deleted) introduce
    in the working tree (``tree``, when the caller started listing it already).

    Besides the snapshot kinds: an edited protected file (against ``HEAD``), a co-change
    rule the uncommitted work does not meet yet (a warning: the other file may follow),
    and any weakening of governance the edit makes (no agent edit can be approved).
    """
    root = settings.root
    tree = tree if tree is not None else WorkTree(root)
    cache = Cache(root / settings.cache_dir)
    cache.preload()  # while git lists the tree: the longest wait of a warm run
    proposed = Overlay(tree, edits)
    rules = load_active(settings)
    # Asked of every rule before the tree is needed: the kinds in force are imported
    # while git lists it.
    by_change = any([judges_change(rule.kind) for rule in rules])
    verdict = judge_snapshot(proposed, tree, rules, settings, cache)
    edited = set(edits)
    extra = []
    if by_change:  # else no need to list HEAD
        head = Commit(root, "HEAD") if git.head_exists(root) else None
        extra = [
            replace(f, severity="warning") if KINDS[f.kind].later_edit_may_satisfy else f
            for f in number_occurrences(change_findings(rules, changes(head, proposed)))
            if f.path in edited
        ]
    ours = _edited(tree, edits)
    extra.extend(w.finding() for w in governance.weakenings(tree, proposed, settings, ours))
    return replace(verdict, reported=(*verdict.reported, *extra)).report(root)


def _edited(tree: WorkTree, edits: Mapping[str, bytes | None]) -> list[Change]:
    """What the edits change in the tree: ``changes(tree, Overlay(tree, edits))`` without
    comparing the files no edit touches."""
    listed = set(tree.files())  # listed already by the engine
    found = []
    for path in sorted(edits):
        data = edits[path]
        if path not in listed:
            if data is not None:
                found.append(Change(path, "added"))
        elif data is None:
            found.append(Change(path, "deleted"))
        elif tree.content_id(path) != blob_id(data):
            found.append(Change(path, "modified"))
    return found
