"""Apply a unified diff (``git diff``, ``diff -u``) to files in memory.

Each hunk is placed where its header says, or, when the file has moved on, at the
nearest place where its old lines are; a hunk whose old lines are nowhere is an error
that names the file and the hunk. Nothing is written to disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from charter.hooks.errors import CharterError

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass
class _Hunk:
    start: int  # 1-based line of the old side
    old: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    old_eof_newline: bool = True
    new_eof_newline: bool = True


@dataclass
class FilePatch:
    old_path: str | None  # None: the file is new
    new_path: str | None  # None: the file is deleted
    hunks: list[_Hunk] = field(default_factory=list)


def _path(text: str) -> str | None:
    text = text.split("\t")[0].strip()
    if text == "/dev/null":
        return None
    if text.startswith('"') and text.endswith('"'):
        text = text[1:-1]
    if text[:2] in ("a/", "b/"):
        text = text[2:]
    return text


def parse(diff: str) -> list[FilePatch]:
    """The file patches of a unified diff (hunk bodies are read by their line counts)."""
    patches: list[FilePatch] = []
    lines = diff.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            patches.append(FilePatch(_path(line[4:]), _path(lines[i + 1][4:])))
            i += 2
            continue
        match = _HUNK.match(line)
        if match is None or not patches:
            i += 1  # a header line (diff --git, index, mode) or text around the diff
            continue
        hunk = _Hunk(start=int(match.group(1)))
        patches[-1].hunks.append(hunk)
        old_left = int(match.group(2) or 1)
        new_left = int(match.group(4) or 1)
        i += 1
        side = " "
        while i < len(lines) and (old_left > 0 or new_left > 0 or lines[i].startswith("\\")):
            body = lines[i]
            if body.startswith("\\"):
                if side in (" ", "-"):
                    hunk.old_eof_newline = False
                if side in (" ", "+"):
                    hunk.new_eof_newline = False
                i += 1
                continue
            side, text = (body[:1] or " "), body[1:]
            if side not in (" ", "-", "+"):
                raise CharterError(
                    f"patch line {i + 1}: {body[:40]!r} is not a hunk line (' ', '-' or '+'); "
                    "the hunk is shorter than its @@ header says"
                )
            if side in (" ", "-"):
                hunk.old.append(text)
                old_left -= 1
            if side in (" ", "+"):
                hunk.new.append(text)
                new_left -= 1
            i += 1
    if not patches:
        raise CharterError(
            "the patch holds no file: give a unified diff with '--- a/path' and '+++ b/path' "
            "lines (as `git diff` prints)"
        )
    return patches


def _place(lines: list[str], hunk: _Hunk, expected: int) -> int | None:
    size = len(hunk.old)
    if size == 0:
        return min(max(expected, 0), len(lines))
    starts = [s for s in range(len(lines) - size + 1) if lines[s : s + size] == hunk.old]
    if not starts:
        return None
    return min(starts, key=lambda s: (abs(s - expected), s))


def apply(diff: str, read: Callable[[str], bytes | None]) -> dict[str, bytes | None]:
    """The new content of every file the diff touches (None: deleted)."""
    out: dict[str, bytes | None] = {}
    for patch in parse(diff):
        path = patch.new_path or patch.old_path
        assert path is not None
        if patch.new_path is None:
            out[path] = None
            continue
        if patch.old_path is None:
            data = None
        else:
            data = out[patch.old_path] if patch.old_path in out else read(patch.old_path)
            if data is None:
                raise CharterError(f"{patch.old_path}: the patch changes it, but it does not exist")
        text = "" if data is None else data.decode("utf-8", "surrogateescape")
        lines = text.splitlines()
        eof_newline = text.endswith("\n") or not text
        shift = 0
        for number, hunk in enumerate(patch.hunks, start=1):
            expected = hunk.start - 1 + shift if hunk.old else hunk.start + shift
            at = _place(lines, hunk, expected)
            if at is None:
                raise CharterError(
                    f"{path}: hunk {number} (@@ -{hunk.start}) does not apply: its old lines "
                    "are not in the file; make the diff against the current files"
                )
            if at + len(hunk.old) == len(lines):
                eof_newline = hunk.new_eof_newline
            lines[at : at + len(hunk.old)] = hunk.new
            shift += len(hunk.new) - len(hunk.old)
        new_text = "\n".join(lines) + ("\n" if lines and eof_newline else "")
        if patch.old_path and patch.old_path != path:
            out[patch.old_path] = None
        out[path] = new_text.encode("utf-8", "surrogateescape")
    return out
