"""The attempt journal: every commit attempt the hooks judged (docs/journal.md).

With ``journal = true`` (or ``CHARTER_JOURNAL=1``) ``charter check --staged`` and
``charter commit-msg`` append one JSON line per attempt to
``<git common dir>/charter/journal/attempts.jsonl`` and keep the staged diff as a
content-addressed blob beside it: never in the work tree, so never committed.
Lines are appended by ``source.atomic.append_line``, so concurrent hooks never
interleave them.
"""

from __future__ import annotations

import datetime
import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from charter.hooks import __version__, digests
from charter.hooks.errors import CharterError
from charter.hooks.findings import Finding
from charter.hooks.source import git
from charter.hooks.source.atomic import append_line, write_atomic

SCHEMA = "charter-journal/1"
ATTEMPTS = "attempts.jsonl"


def folder(root: Path) -> Path:
    """``<git common dir>/charter/journal`` (shared by all worktrees of a clone)."""
    return git.common_dir(root) / "charter" / "journal"


def try_record(
    root: Path,
    stage: str,
    exit_code: int,
    latency_ms: float,
    violations: Iterable[Finding],
    message: str | None = None,
) -> str | None:
    """Record the attempt; a warning naming the path and the fix when it cannot be.

    The journal is a record about the commit, never a reason to block it: a folder that
    is a file, a file that is a folder, a full disk all leave the verdict as it is.
    """
    try:
        record(root, stage, exit_code, latency_ms, violations, message)
    except (OSError, CharterError) as exc:
        where = getattr(exc, "filename", None) or folder(root)
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return (
            f"warning: could not record this attempt in the journal ({where}: {why}); "
            "the verdict stands. Fix: move that path aside (the journal is recreated), "
            "or set journal = false"
        )
    return None


def record(
    root: Path,
    stage: str,
    exit_code: int,
    latency_ms: float,
    violations: Iterable[Finding],
    message: str | None = None,
) -> dict[str, Any]:
    """Append one attempt to the journal and return it."""
    journal = folder(root)
    diff = git.staged_diff(root)
    now = datetime.datetime.now(datetime.timezone.utc)
    entry: dict[str, Any] = {
        "schema": SCHEMA,
        "id": f"{now:%Y%m%dT%H%M%S.%fZ}-{secrets.token_hex(4)}",
        "time": now.isoformat(),
        "stage": stage,
        "head": git.head(root),
        "branch": git.branch(root),
        "diff": store_blob(journal, diff),
        "files": git.staged_paths(root),
        "verdict": {0: "accepted", 1: "rejected"}.get(exit_code, "error"),
        "exit_code": exit_code,
        "latency_ms": round(latency_ms, 1),
        "violations": [f.as_json() for f in violations],
        "version": __version__,
    }
    if message is not None:
        entry["message"] = message
    line = (json.dumps(entry, sort_keys=True) + "\n").encode("utf-8")
    journal.mkdir(parents=True, exist_ok=True)
    append_line(journal / ATTEMPTS, line)
    return entry


def store_blob(journal: Path, data: bytes) -> str:
    digest = digests.sha256(data).hexdigest()
    path = journal / "blobs" / digest
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    return digest


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


@dataclass(frozen=True)
class Record:
    line: int  # in attempts.jsonl, from 1
    data: Mapping[str, Any]  # a charter-journal/1 record as written


@dataclass(frozen=True)
class Attempt:
    """One commit attempt: a pre-commit record joined with the commit-msg record that
    follows it for the same ``head`` and ``diff`` (either alone when the other hook did
    not run). Rejected when either hook rejected it."""

    line: int  # of its first record
    fields: Mapping[str, Any]  # its first record as written
    message: str | None
    outcome: str | None  # accepted, rejected or error (None: a record without a verdict)
    violations: tuple[Mapping[str, Any], ...]  # of both hooks

    @property
    def head(self) -> str | None:
        return self.fields.get("head")

    @property
    def diff(self) -> str | None:
        return self.fields.get("diff")

    @property
    def time(self) -> str:
        return str(self.fields.get("time"))

    def as_json(self) -> dict[str, Any]:
        """The attempt as ``charter journal --json`` prints it."""
        return {
            **self.fields,
            "message": self.message,
            "outcome": self.outcome,
            "violations": list(self.violations),
        }


def read(root: Path) -> tuple[list[Record], list[Problem]]:
    """The journal's records in order, and the lines that could not be read."""
    path = folder(root) / ATTEMPTS
    if not path.is_file():
        return [], []
    records: list[Record] = []
    problems: list[Problem] = []
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        try:
            item = json.loads(raw)
        except (ValueError, RecursionError):
            problems.append(Problem(number, "not a JSON line (a write was cut short?); skipped"))
            continue
        if not isinstance(item, dict) or item.get("schema") != SCHEMA:
            problems.append(Problem(number, f"not a {SCHEMA} record; skipped"))
            continue
        records.append(Record(number, item))
    return records, problems


def read_attempts(root: Path) -> tuple[list[Attempt], list[Problem]]:
    """The journal's attempts in order, and the lines that could not be read."""
    records, problems = read(root)
    return attempts(records), problems


def attempts(records: Iterable[Record]) -> list[Attempt]:
    """Attempts: each pre-commit record joined with the commit-msg record that follows it."""
    pending: list[Attempt] = []
    for record in records:
        item = record.data
        if item.get("stage") == "pre-commit":
            violations = tuple(item.get("violations", []))
            pending.append(Attempt(record.line, item, None, item.get("verdict"), violations))
            continue
        at = next(
            (
                i
                for i in reversed(range(len(pending)))
                if (pending[i].head, pending[i].diff) == (item.get("head"), item.get("diff"))
            ),
            None,
        )
        if at is None:  # a commit-msg record without charter-check before it
            pending.append(Attempt(record.line, item, None, "accepted", ()))
            at = len(pending) - 1
        match = pending[at]
        verdict = item.get("verdict")
        outcome = match.outcome if verdict == "accepted" else verdict
        pending[at] = replace(
            match,
            message=item.get("message"),
            outcome=outcome,
            violations=(*match.violations, *item.get("violations", [])),
        )
    return pending
