"""Fakes for the engine's ports: a snapshot held in memory, and a kind run on it.

``MemorySnapshot`` implements the ``Snapshot`` interface (files, bytes, blob ids) from a
dict, so a kind's check runs on a ``SnapshotView`` without git or a disk: unit tests of
each kind take milliseconds. The end-to-end tests keep using real git repositories.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from charter.hooks.constraint.active import ActiveConstraint
from charter.hooks.engine import judged_paths
from charter.hooks.findings import Finding
from charter.hooks.kinds import Kind
from charter.hooks.settings import Settings
from charter.hooks.source.cache import Cache
from charter.hooks.source.changes import Change
from charter.hooks.source.snapshot import blob_id
from charter.hooks.view import SnapshotView


class MemorySnapshot:
    """A snapshot whose files are the keys of ``files`` and whose bytes are its values."""

    label = "memory"

    def __init__(self, files: Mapping[str, bytes | str], root: Path = Path("/nonexistent")) -> None:
        self.root = root
        self._files = {
            path: data.encode("utf-8") if isinstance(data, str) else data
            for path, data in files.items()
        }

    def files(self) -> list[str]:
        return sorted(self._files)

    def read(self, path: str) -> bytes | None:
        return self._files.get(path)

    def content_id(self, path: str) -> str | None:
        data = self._files.get(path)
        return None if data is None else blob_id(data)


def constraint(
    kind: Kind, scope: Sequence[str] = (), severity: str = "error", **fields: Any
) -> ActiveConstraint:
    """A constraint of ``kind`` in force, its fields validated by the kind's model."""
    model = kind.model().model_validate({"kind": kind.name, **fields})
    return ActiveConstraint(
        id="ADR-0001/1",
        index=0,
        severity=severity,  # type: ignore[arg-type]
        kind=kind.name,
        constraint=model,
        decision="ADR-0001",
        source="docs/decisions/0001-test.md",
        scope=tuple(scope),
    )


def view_of(snapshot: MemorySnapshot, **settings: Any) -> SnapshotView:
    return SnapshotView(snapshot, Settings(root=snapshot.root, **settings), Cache(None))


def run_kind(
    kind: Kind,
    snapshot: MemorySnapshot,
    scope: Sequence[str] = (),
    settings: Mapping[str, Any] | None = None,
    **fields: Any,
) -> list[Finding]:
    """The findings of one constraint of ``kind`` on the paths the engine would give it."""
    assert kind.check is not None, f"{kind.name} judges a change, not a snapshot"
    active = constraint(kind, scope, **fields)
    view = view_of(snapshot, **(settings or {}))
    return list(kind.check(active, view, judged_paths(active, view)))


def run_change_kind(
    kind: Kind, changed: Mapping[str, str], scope: Sequence[str] = (), **fields: Any
) -> list[Finding]:
    """The findings of a kind that judges a change (path -> added|modified|deleted)."""
    assert kind.check_change is not None, f"{kind.name} judges a snapshot, not a change"
    active = constraint(kind, scope, **fields)
    changes = [Change(path, status) for path, status in changed.items()]  # type: ignore[arg-type]
    return list(kind.check_change(active, changes))
