"""What a change does to the files: added, modified, deleted, between two snapshots.

Computed from git blob ids (no ``git diff``), so a rename is a deletion plus an
addition: moving a protected file away is deleting it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from charter.hooks.source.snapshot import Snapshot

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
