"""The minimal repair: the hunks of a change that hold the lines a rule flagged.

A ``git diff -U0`` of the staged change is cut into files and hunks; :func:`flagged`
keeps, per file, the hunks whose new lines hold a flagged line (a finding without a line
— line 0, e.g. a file out of place — takes the whole file). Reversing just those undoes
what the rule objected to and keeps every other part of the work.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_PATH = re.compile(r"^\+\+\+ (?:b/)?(.*)$")
_OLD = re.compile(r"^--- (?:a/)?(.*)$")


@dataclass(frozen=True)
class Hunk:
    start: int  # first new line (for a pure deletion: the line before it)
    count: int  # new lines (0: a pure deletion)
    text: str

    def holds(self, line: int) -> bool:
        if self.count == 0:
            return line in (self.start, self.start + 1)
        return self.start <= line < self.start + self.count


@dataclass(frozen=True)
class FileDiff:
    path: str
    header: str
    hunks: tuple[Hunk, ...]


def parse(diff: str) -> list[FileDiff]:
    """The files of a ``git diff -U0`` and their hunks (binary files have none)."""
    files: list[FileDiff] = []
    for chunk in re.split(r"(?m)^(?=diff --git )", diff):
        if not chunk.startswith("diff --git "):
            continue
        lines = chunk.splitlines(keepends=True)
        at = next((i for i, line in enumerate(lines) if line.startswith("@@")), len(lines))
        header = "".join(lines[:at])
        files.append(FileDiff(_path(lines[:at]), header, _hunks(lines[at:])))
    return files


def _path(header: Sequence[str]) -> str:
    new = next((m.group(1) for m in map(_PATH.match, header) if m), None)
    if new and new.strip() != "/dev/null":
        return new.rstrip("\n")
    old = next((m.group(1) for m in map(_OLD.match, header) if m), "")
    return old.rstrip("\n")


def _hunks(lines: Sequence[str]) -> tuple[Hunk, ...]:
    hunks: list[Hunk] = []
    start, count, body = 0, 0, list[str]()
    for line in lines:
        match = _HUNK.match(line)
        if match:
            if body:
                hunks.append(Hunk(start, count, "".join(body)))
            start = int(match.group(1))
            count = int(match.group(2)) if match.group(2) is not None else 1
            body = [line]
        elif body:
            body.append(line)
    if body:
        hunks.append(Hunk(start, count, "".join(body)))
    return tuple(hunks)


def flagged(diff: str, lines: Mapping[str, Sequence[int]]) -> str:
    """The part of ``diff`` holding the flagged ``lines`` (per path); '' when none."""
    out: list[str] = []
    for file in parse(diff):
        wanted = lines.get(file.path)
        if wanted is None:
            continue
        whole = not file.hunks or any(line <= 0 for line in wanted)
        kept = [h for h in file.hunks if whole or any(h.holds(n) for n in wanted)]
        if kept or whole:
            out.append(file.header + "".join(h.text for h in kept))
    return "".join(out)
