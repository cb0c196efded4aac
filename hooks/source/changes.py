"""What a change does to the files: added, modified, deleted, between two snapshots.

Compared by git blob ids, regular files only (a file that becomes a symbolic link is
deleted; a mode-only change modifies nothing), without rename detection: a rename is a
deletion plus an addition, so moving a protected file away is deleting it. Between a
commit and the index or another commit, git's raw diff answers in one call (``diff``)
and the side not listed yet follows from the other's listing, so a commit hook never
lists ``HEAD``'s whole tree to learn which files one commit touches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from charter.hooks.source import git
from charter.hooks.source.listing import REGULAR, patched
from charter.hooks.source.snapshot import Commit, Index, Snapshot

Status = Literal["added", "modified", "deleted"]


@dataclass(frozen=True)
class Change:
    """A path a change adds, modifies or deletes."""

    path: str
    status: Status


@dataclass(frozen=True)
class Entry:
    """One path git's raw diff reports: its mode and blob id on each side."""

    path: str
    old_mode: bytes
    old_id: str
    new_mode: bytes
    new_id: str

    @property
    def change(self) -> Change | None:
        before, after = self.old_mode in REGULAR, self.new_mode in REGULAR
        if before and after:
            return Change(self.path, "modified") if self.old_id != self.new_id else None
        if before or after:
            return Change(self.path, "deleted" if before else "added")
        return None


def changes(base: Snapshot | None, current: Snapshot) -> list[Change]:
    """The files ``current`` adds, modifies or deletes relative to ``base``, by path."""
    entries = diff(base, current)
    if entries is not None:
        found = (entry.change for entry in entries)
        return sorted((c for c in found if c is not None), key=lambda c: c.path)
    return _compared(base, current)


def _compared(base: Snapshot | None, current: Snapshot) -> list[Change]:
    """``changes`` by comparing both snapshots' listings."""
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


def diff(base: Snapshot | None, current: Snapshot) -> list[Entry] | None:
    """git's raw diff from a commit to the index or another commit (None between other
    snapshots, or while the index holds a conflict); the side not listed yet is then
    listed from the other and this diff when it is first needed."""
    if not (isinstance(base, Commit) and isinstance(current, (Index, Commit))):
        return None
    if base.root != current.root:
        return None
    target = None if isinstance(current, Index) else current.label
    entries = _entries(git.raw_diff(base.root, base.label, target))
    if entries is None:
        return None
    if current.listed and not base.listed:
        _follow(base, current, [(e.path, e.old_mode, e.old_id) for e in entries])
    elif base.listed and not current.listed:
        _follow(current, base, [(e.path, e.new_mode, e.new_id) for e in entries])
    return entries


def _follow(
    unlisted: Commit | Index, listed: Commit | Index, sides: list[tuple[str, bytes, str]]
) -> None:
    unlisted.follow(lambda: patched(listed.listing, sides))


def _entries(output: bytes) -> list[Entry] | None:
    """The records of ``git diff-index``/``diff-tree --raw -z --no-renames``; None when a
    path is unmerged (its stages are the listing's to read)."""
    fields = output.split(b"\0")[:-1]  # each record ends with a NUL
    entries: list[Entry] = []
    for meta, raw in zip(fields[0::2], fields[1::2], strict=True):
        parts = meta.lstrip(b":").split()
        if len(parts) != 5 or parts[4] == b"U":
            return None
        path = raw.decode("utf-8", "surrogateescape")
        entries.append(Entry(path, parts[0], parts[2].decode(), parts[1], parts[3].decode()))
    return entries


def renames(base: Snapshot | None, current: Snapshot) -> dict[str, str]:
    """New path -> old path of the files the change renames.

    git's rename detection (similar content) between two commits or a commit and the
    index; otherwise files whose content moved unchanged.
    """
    if base is None:
        return {}
    if isinstance(base, Commit) and isinstance(current, (Index, Commit)):
        target = None if isinstance(current, Index) else current.label
        output = git.optional(base.root, *git.renames_question(base.label, target))
        if output is not None:
            return _renamed(git.null_separated(output))
    before = {base.content_id(p): p for p in set(base.files()) - set(current.files())}
    return {
        path: before[sha]
        for path in set(current.files()) - set(base.files())
        if (sha := current.content_id(path)) in before
    }


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
