"""Path globs as decisions and config write them.

Globs match repository-relative POSIX paths and are anchored at the repository root:

- ``*`` matches within one path segment (never ``/``), ``?`` one character of it;
- ``**/`` matches zero or more directories, so ``config/**/*.yaml`` matches
  ``config/settings.yaml``; a trailing ``/**`` matches everything below a folder;
- ``[abc]`` is a character class (never matching ``/``); ``*.py`` matches only files
  at the root;
- a trailing ``/`` means "everything below this folder" (``migrations/`` is
  ``migrations/**``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable


def glob_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable glob, or None when it is."""
    if not pattern.strip():
        return "an empty glob matches nothing"
    if pattern.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", pattern):
        return f"glob {pattern!r} is absolute; write it relative to the repository root"
    if "\\" in pattern:
        return f"glob {pattern!r} uses '\\'; write paths with '/'"
    if ".." in pattern.split("/"):
        return f"glob {pattern!r} leaves the repository with '..'"
    depth = 0
    for char in pattern:
        if char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
    if depth:
        return f"glob {pattern!r} has an unclosed '['"
    try:
        compile_glob(pattern)
    except re.error:
        return f"glob {pattern!r} has a range running backwards: write it low to high, as '[a-z]'"
    return None


def _normalise(pattern: str) -> str:
    while pattern.startswith("./"):
        pattern = pattern[2:]
    if pattern.endswith("/"):
        pattern += "**"
    return pattern


def _translate(pattern: str) -> str:
    """The regular expression (without anchors) for one glob."""
    pattern = _normalise(pattern)
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        at_segment_start = i == 0 or pattern[i - 1] == "/"
        if pattern.startswith("**", i) and at_segment_start:
            rest = pattern[i + 2 :]
            if rest.startswith("/"):
                out.append("(?:[^/]+/)*")
                i += 3
                continue
            if rest == "":
                out.append(".*")
                i += 2
                continue
        char = pattern[i]
        if char == "*":
            while i + 1 < n and pattern[i + 1] == "*":
                i += 1
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            # As in fnmatch, a "]" right after "[" or "[!" belongs to the class.
            start = i + 2 if pattern[i + 1 : i + 2] in ("!", "^") else i + 1
            end = pattern.find("]", start + 1 if pattern[start : start + 1] == "]" else start)
            if end == -1:
                out.append(re.escape(char))
            else:
                negate = "^" if start == i + 2 else ""
                chars = pattern[start:end]
                last = len(chars) - 1
                body = "".join(
                    c if c == "-" and 0 < k < last and chars[k - 1] != "-" else re.escape(c)
                    for k, c in enumerate(chars)
                )
                out.append(f"(?!/)[{negate}{body}]")  # a class never matches "/"
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=4096)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """The compiled, fully anchored matcher for one glob."""
    return re.compile(r"\A" + _translate(pattern) + r"\Z")


class GlobSet:
    """Several globs as one matcher: a path matches when any glob matches it."""

    __slots__ = ("_regex", "patterns")

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns: tuple[str, ...] = tuple(patterns)
        if self.patterns:
            joined = "|".join(f"(?:{_translate(p)})" for p in self.patterns)
            self._regex: re.Pattern[str] | None = re.compile(rf"\A(?:{joined})\Z")
        else:
            self._regex = None

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def __repr__(self) -> str:
        return f"GlobSet({list(self.patterns)!r})"

    def match(self, path: str) -> bool:
        return self._regex is not None and self._regex.match(path) is not None


def matches(pattern: str, path: str) -> bool:
    """True when the repository-relative POSIX ``path`` matches ``pattern``."""
    return compile_glob(pattern).match(path) is not None
