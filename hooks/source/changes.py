"""What a change does to the files: added, modified, deleted, between two snapshots.

Computed from git blob ids (no ``git diff``), so a rename is a deletion plus an
addition: moving a protected file away is deleting it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from charter.hooks.source import git
from charter.hooks.source.snapshot import Commit, Index, Snapshot

Status = Literal["added", "modified", "deleted"]


@dataclass(frozen=True)
class Change:
    path: str
    status: Status


def changes(base: Snapshot | None, current: Snapshot) -> list[Change]:
    """The files ``current`` adds, modifies or deletes relative to ``base``, by path."""
    before = set(base.files()) if base is not None else set()
    after = set(current.files())
    found: list[Change] = []
    for path in sorted(before | after):
        if path not in before:
            found.append(Change(path, "added"))
        elif path not in after:
            found.append(Change(path, "deleted"))
        elif base is not None and base.content_id(path) != current.content_id(path):
            found.append(Change(path, "modified"))
    return found


def renames(base: Snapshot | None, current: Snapshot) -> dict[str, str]:
    """New path -> old path of the files the change renames.

    git's rename detection (similar content) between two commits or a commit and the
    index; otherwise files whose content moved unchanged.
    """
    if base is None:
        return {}
    if isinstance(base, Commit) and isinstance(current, (Index, Commit)):
        target = "--cached" if isinstance(current, Index) else current.label
        output = git.optional(base.root, *renames_question(base.label, target))
        if output is not None:
            return _renamed(git.null_separated(output))
    before = {base.content_id(p): p for p in set(base.files()) - set(current.files())}
    return {
        path: before[sha]
        for path in set(current.files()) - set(base.files())
        if (sha := current.content_id(path)) in before
    }


def renames_question(base: str, target: str) -> tuple[str, ...]:
    """git's arguments for the renames from commit ``base`` to ``target`` (a commit, or
    ``--cached``: the index)."""
    return ("diff", "-M", "-z", "--name-status", "--no-ext-diff", base, target, "--")


def _renamed(fields: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    index = 0
    while index < len(fields):
        status = fields[index]
        if status.startswith(("R", "C")) and index + 2 < len(fields):
            if status.startswith("R"):
                found[fields[index + 2]] = fields[index + 1]
            index += 3
        else:
            index += 2
    return found
