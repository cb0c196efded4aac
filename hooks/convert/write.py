"""Write a conversion as one decision record in the decisions folder.

The record gets the next number in the folder (``0007-...`` after ``0006-...``) and
an id in the folder's style (``CH-0007`` when the others are ``CH-``, else
``ADR-0007``). Running the import again finds its own record by file name and keeps
its number; it is rewritten only with ``force``, so a hand-edited record is never lost.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from charter.hooks.convert.records import Conversion
from charter.hooks.errors import CharterError

_NUMBERED = re.compile(r"^(\d{4})-")
_ID = re.compile(r"^id:\s*['\"]?([A-Za-z]+)-\d+", re.MULTILINE)


@dataclass(frozen=True)
class Target:
    path: Path
    decision_id: str
    exists: bool


def target(folder: Path, tool: str) -> Target:
    """Where the record of a conversion from ``tool`` goes, and its id."""
    suffix = f"-imports-from-{tool}.md"
    existing = sorted(folder.glob(f"[0-9][0-9][0-9][0-9]{suffix}")) if folder.is_dir() else []
    prefix = _prefix(folder)
    if existing:
        number = existing[0].name[:4]
        return Target(existing[0], f"{prefix}-{number}", True)
    numbers = [
        int(m[1])
        for p in (folder.glob("*.md") if folder.is_dir() else [])
        if (m := _NUMBERED.match(p.name))
    ]
    number = f"{max(numbers, default=0) + 1:04d}"
    return Target(folder / f"{number}{suffix}", f"{prefix}-{number}", False)


def _prefix(folder: Path) -> str:
    """The id prefix the folder's records use (``ADR`` when none says)."""
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        try:
            found = _ID.search(path.read_text(encoding="utf-8", errors="replace")[:2000])
        except OSError:
            continue
        if found:
            return found[1]
    return "ADR"


def render(conversion: Conversion, decision_id: str, today: datetime.date) -> str:
    """The decision record's text: front matter, then why and what was left out."""
    title = f"Import rules brought over from {conversion.tool}"
    data = conversion.front_matter(decision_id, title, today)
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96)
    body = [
        f"# {decision_id}: {title}",
        "",
        "## Context",
        f"The import rules were written for {conversion.tool} in `{conversion.config}`. "
        f"`charter import` converted them on {today.isoformat()}, so Charter's hooks and "
        "coding agents enforce the same contracts.",
        "",
        "## Decision",
        "Each constraint says one contract; its id ends with the contract's id and its "
        "message is the contract's name.",
    ]
    if conversion.notes:
        body += ["", *(f"- {note}" for note in conversion.notes)]
    if conversion.not_expressed:
        body += ["", "## Not converted", ""]
        body += [
            f"- `{c.key}` ({c.name}, type `{c.type}`): {c.reason}" for c in conversion.not_expressed
        ]
    body += [
        "",
        "## Consequences",
        f"Keep `{conversion.config}` until both tools agree on this repository "
        "(`charter import` compares their verdicts), then remove it.",
    ]
    return f"---\n{front}---\n" + "\n".join(body) + "\n"


def write(place: Target, text: str, force: bool) -> None:
    if place.exists and not force:
        raise CharterError(
            f"{place.path.name} exists already (from an earlier import): pass --force to "
            "rewrite it, or --dry-run to see what would be written"
        )
    place.path.parent.mkdir(parents=True, exist_ok=True)
    place.path.write_text(text, encoding="utf-8")
