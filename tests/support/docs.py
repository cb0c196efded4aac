"""The user documentation as tests read it: the README and every page under docs/."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def pages() -> dict[str, str]:
    """README.md and the site's pages (Charter's own decision records are data, left out)."""
    found = {"README.md": (REPO / "README.md").read_text(encoding="utf-8")}
    for path in sorted((REPO / "docs").rglob("*.md")):
        rel = path.relative_to(REPO).as_posix()
        if not rel.startswith(("docs/decisions/0", "docs/_gen/")):
            found[rel] = path.read_text(encoding="utf-8")
    return found


def fenced(text: str, language: str) -> list[str]:
    """The bodies of the fenced code blocks of ``language`` in ``text``, in order."""
    return re.findall(rf"^```{language}\n(.*?)^```", text, re.DOTALL | re.MULTILINE)


def tables(text: str) -> list[tuple[str, str]]:
    """Each Markdown table with the text between the previous heading and the table."""
    found = []
    lines = text.splitlines()
    start = 0
    i = 0
    while i < len(lines):
        if lines[i].startswith("#") and not lines[i].startswith("#!"):
            start = i
        if lines[i].startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("|-"):
            end = i
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            found.append(("\n".join(lines[i:end]), "\n".join(lines[start:i])))
            i = end
            continue
        i += 1
    return found
