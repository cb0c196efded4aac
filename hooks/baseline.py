"""The baseline: violations a team accepted when adopting Charter, by fingerprint.

The file is JSON with one entry per line, sorted, so diffs are readable:

    {"schema": "charter-baseline/1", "entries": [
    {"constraint": "ADR-0007/1", "fingerprint": "0c1d...", "key": "app.db", "path": "app/api/x.py"},
    ...]}

It is a ratchet: ``charter baseline`` prunes entries that are fixed and adds new ones
only with ``--grow`` (which the governance check treats as weakening).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from charter.hooks.errors import CharterError
from charter.hooks.findings import Finding
from charter.hooks.source.atomic import write_atomic

if TYPE_CHECKING:
    from charter.hooks.source.snapshot import Snapshot

SCHEMA = "charter-baseline/1"


def entry(finding: Finding) -> dict[str, str]:
    return {
        "constraint": finding.constraint,
        "fingerprint": finding.fingerprint,
        "key": finding.key,
        "path": finding.path,
    }


def load(path: Path) -> list[dict[str, str]]:
    """The entries of the baseline at ``path`` ([] when there is none)."""
    if not path.is_file():
        return []
    try:
        return parse(path.read_bytes())
    except OSError as exc:
        problem = exc.strerror
    except ValueError as exc:
        problem = str(exc)
    raise CharterError(
        f"{path}: {problem}; restore it from git or delete it and run 'charter baseline'"
    )


def parse(data: bytes) -> list[dict[str, str]]:
    """The entries of a baseline's bytes; ``ValueError`` says what is wrong with them."""
    import json  # here: a repository without a baseline never needs it

    try:
        document = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"not a readable baseline ({exc})") from None
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        raise ValueError(f"not a Charter baseline (expected schema {SCHEMA!r})")
    entries = document.get("entries", [])
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries
    ):
        raise ValueError("every entry needs a 'fingerprint'")
    return entries


def fingerprints(path: Path) -> frozenset[str]:
    return frozenset(e["fingerprint"] for e in load(path))


def fingerprints_in(snapshot: Snapshot, rel: str) -> frozenset[str]:
    """The baseline as the snapshot under judgement holds it (the index, a commit)."""
    data = snapshot.read(rel)
    if data is None:
        return frozenset()
    try:
        return frozenset(e["fingerprint"] for e in parse(data))
    except ValueError as exc:
        raise CharterError(
            f"{rel} ({snapshot.label}): {exc}; restore it from git or delete it and run "
            "'charter baseline'"
        ) from None


def write(path: Path, entries: Iterable[dict[str, str]]) -> None:
    """Write the baseline atomically, sorted, one entry per line."""
    import json

    rows = sorted(
        {json.dumps(e, sort_keys=True) for e in entries},
        key=lambda row: (json.loads(row)["path"], row),
    )
    body = ",\n".join(rows)
    text = (
        f'{{"schema": "{SCHEMA}", "entries": [\n{body}\n]}}\n'
        if rows
        else (f'{{"schema": "{SCHEMA}", "entries": []}}\n')
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
