"""Findings already computed, by the content they were computed from.

- per file: the findings (and notes) of the file-level constraints on one file, keyed
  by a digest of those constraints, the file's path, blob id and module name;
- per import graph: the findings of the import rules, keyed by a digest of those rules
  and of the import table (every module's path and imports);
- per base commit: the fingerprints of every finding in a commit's tree, which the
  hook compares against (keyed by the tree id, the constraints and the settings);
- per blob: the lines that carry a ``charter:`` comment (for waivers), so a warm run
  does not read files only to learn they waive nothing.

A key names everything its value depends on, so an entry is right or never asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from charter.hooks import digests
from charter.hooks.findings import Finding
from charter.hooks.source.cache import TAG, MarshalStore


def digest(*parts: object) -> str:
    """A short, stable digest of ``repr`` of plain values (str, int, tuples, ...)."""
    return digests.sha1(repr(parts).encode("utf-8", "surrogateescape")).hexdigest()[:20]


def to_row(finding: Finding) -> tuple[Any, ...]:
    return (
        finding.decision,
        finding.constraint,
        finding.kind,
        finding.path,
        finding.line,
        finding.col,
        finding.message,
        finding.key,
        finding.severity,
        finding.remedy,
        finding.source,
        tuple(finding.chain),
    )


def from_row(row: Sequence[Any]) -> Finding:
    decision, constraint, kind, path, line, col, message, key, severity, remedy, source, chain = row
    return Finding(
        decision,
        constraint,
        kind,
        path,
        line,
        col,
        message,
        key,
        severity,
        remedy,
        source,
        tuple(chain),
    )


class Results:
    def __init__(self, folder: Path | None) -> None:
        self._store = MarshalStore(None if folder is None else folder / f"results-{TAG}.marshal")

    def preload(self) -> None:
        """Read the store now (while git works for the caller), not at the first lookup."""
        self._store.data  # noqa: B018 - read now

    def findings(self, key: str) -> list[Finding] | None:
        rows = self._store.get("f:" + key)
        return None if rows is None else [from_row(row) for row in rows[0]]

    def notes(self, key: str) -> list[str]:
        rows = self._store.get("f:" + key)
        return [] if rows is None else list(rows[1])

    def put_findings(
        self, key: str, findings: Iterable[Finding], notes: Iterable[str] = ()
    ) -> None:
        self._store.put("f:" + key, ([to_row(f) for f in findings], list(notes)))

    def fingerprints(self, key: str) -> frozenset[str] | None:
        value = self._store.get("b:" + key)
        return None if value is None else frozenset(value)

    def put_fingerprints(self, key: str, fingerprints: Iterable[str]) -> None:
        self._store.put("b:" + key, sorted(fingerprints))

    def marked_lines(self, key: str) -> list[tuple[int, str]] | None:
        value = self._store.get("m:" + key)
        return None if value is None else [(int(number), str(line)) for number, line in value]

    def put_marked_lines(self, key: str, lines: Iterable[tuple[int, str]]) -> None:
        self._store.put("m:" + key, [list(item) for item in lines])

    def save(self) -> None:
        self._store.save()
