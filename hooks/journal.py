"""The attempt journal: every commit attempt the hooks judged (docs/journal.md).

With ``journal = true`` (or ``CHARTER_JOURNAL=1``) ``charter check --staged`` and
``charter commit-msg`` append one JSON line per attempt to
``<git common dir>/charter/journal/attempts.jsonl`` and keep the staged diff as a
content-addressed blob beside it: never in the work tree, so never committed.
Appends hold an exclusive ``flock`` and write each line with one ``write()``, so
concurrent hooks never interleave lines.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import json
import os
import secrets
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from charter.hooks import __version__
from charter.hooks.errors import CharterError
from charter.hooks.findings import Finding
from charter.hooks.source.cache import write_atomic

SCHEMA = "charter-journal/1"
ATTEMPTS = "attempts.jsonl"


def folder(root: Path) -> Path:
    """``<git common dir>/charter/journal`` (shared by all worktrees of a clone)."""
    common = _git(root, "rev-parse", "--git-common-dir") or ".git"
    return (root / common).resolve() / "charter" / "journal"


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
    diff = _git_bytes(root, "diff", "--cached", "--binary", "--no-color", "--no-ext-diff")
    now = datetime.datetime.now(datetime.timezone.utc)
    entry: dict[str, Any] = {
        "schema": SCHEMA,
        "id": f"{now:%Y%m%dT%H%M%S.%fZ}-{secrets.token_hex(4)}",
        "time": now.isoformat(),
        "stage": stage,
        "head": _git(root, "rev-parse", "-q", "--verify", "HEAD") or None,
        "branch": _git(root, "symbolic-ref", "-q", "--short", "HEAD") or None,
        "diff": store_blob(journal, diff),
        "files": _staged_files(root),
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
    fd = os.open(journal / ATTEMPTS, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
    finally:
        os.close(fd)
    return entry


def store_blob(journal: Path, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    path = journal / "blobs" / digest
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
    return digest


def blob(root: Path, digest: str) -> bytes:
    return (folder(root) / "blobs" / digest).read_bytes()


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


def read(root: Path) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The journal's records in order, and the lines that could not be read."""
    path = folder(root) / ATTEMPTS
    if not path.is_file():
        return [], []
    records: list[dict[str, Any]] = []
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
        records.append(item)
    return records, problems


def attempts(records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Attempts: each pre-commit record joined with the commit-msg record that follows it.

    The joined attempt has the pre-commit record's fields, ``message`` (or None),
    ``outcome`` (rejected when either hook rejected it) and every violation of both.
    """
    pending: list[dict[str, Any]] = []
    for item in records:
        if item.get("stage") == "pre-commit":
            pending.append({**item, "message": None, "outcome": item.get("verdict")})
            continue
        match = next(
            (
                p
                for p in reversed(pending)
                if p.get("head") == item.get("head") and p.get("diff") == item.get("diff")
            ),
            None,
        )
        if match is None:  # a commit-msg record without charter-check before it
            match = {**item, "message": None, "violations": []}
            pending.append(match)
        match["message"] = item.get("message")
        match["violations"] = [*match.get("violations", []), *item.get("violations", [])]
        if item.get("verdict") != "accepted":
            match["outcome"] = item.get("verdict")
        else:
            match.setdefault("outcome", "accepted")
    yield from pending


def _staged_files(root: Path) -> list[str]:
    output = _git_bytes(root, "diff", "--cached", "--name-only", "-z", "--no-renames")
    return [p.decode("utf-8", "surrogateescape") for p in output.split(b"\0") if p]


def _git(root: Path, *args: str) -> str:
    return _git_bytes(root, *args).decode("utf-8", "replace").strip()


def _git_bytes(root: Path, *args: str) -> bytes:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True)
    return result.stdout if result.returncode == 0 else b""
