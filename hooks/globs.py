"""Path globs as decisions and config write them.

Globs match repository-relative POSIX paths and are anchored at the repository root:

- ``*`` matches within one path segment (never ``/``), ``?`` one character of it;
- ``**/`` matches zero or more directories, so ``config/**/*.yaml`` matches
  ``config/settings.yaml``; a trailing ``/**`` matches everything below a folder;
- ``[abc]`` is a character class (never matching ``/``); ``*.py`` matches only files
  at the root;
- ``{py,pyi}`` is one of the comma-separated alternatives (``*.{py,pyi}``), nested
  braces allowed, at most ``MAX_ALTERNATIVES`` in all; write ``[{]`` for a literal brace;
- a trailing ``/`` means "everything below this folder" (``migrations/`` is
  ``migrations/**``).

Matching takes time linear in the path for a given glob, whatever the glob (a decision
is untrusted input: anyone who can add one could otherwise hang every commit). A
backtracking regex is only used where it cannot backtrack badly (at most one ``**`` and
one ``*`` per segment); any other glob is matched piece by piece, each ``*``/``**``
taking the leftmost place where the rest can start, which is exact for wildcards that
match any run.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_ALTERNATIVES = 64  # what '{a,b}' may expand to, per glob
_FLAGS = 0  # '.' appears only as '(?s:.*)': a path may hold a newline, '**' matches it


def glob_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable glob, or None when it is."""
    if not pattern.strip():
        return "an empty glob matches nothing"
    if pattern.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", pattern):
        return f"glob {pattern!r} is absolute; write it relative to the repository root"
    if "\\" in pattern:
        return f"glob {pattern!r} uses '\\'; write paths with '/'"
    if "\0" in pattern:
        return f"glob {pattern!r} holds a NUL character, which no path holds"
    try:
        alternatives = expand_braces(pattern)
    except ValueError as exc:
        return f"glob {pattern!r} {exc}"
    for alternative in alternatives:
        if ".." in alternative.split("/"):
            return f"glob {pattern!r} leaves the repository with '..'"
        if _unclosed_class(alternative):
            return f"glob {pattern!r} has an unclosed '['"
        try:
            _compile_one(alternative)
        except re.error:
            return (
                f"glob {pattern!r} has a range running backwards: write it low to high, as '[a-z]'"
            )
    return None


def _unclosed_class(pattern: str) -> bool:
    depth = 0
    for char in pattern:
        if char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
    return depth > 0


def expand_braces(pattern: str) -> list[str]:
    """The globs ``pattern`` stands for, its ``{a,b}`` alternatives expanded.

    A ``ValueError`` says why it cannot be expanded (unbalanced braces, too many
    alternatives). Braces inside a character class are literal, as are ``{x}`` braces
    without a comma.
    """
    start = _brace_start(pattern)
    if start is None:
        return [pattern]
    end, options = _brace_body(pattern, start)
    if len(options) < 2:
        head = pattern[: end + 1]  # '{x}' is literal text; expand what follows it
        return [head + rest for rest in expand_braces(pattern[end + 1 :])]
    out: list[str] = []
    for option in options:
        for expanded in expand_braces(pattern[:start] + option + pattern[end + 1 :]):
            out.append(expanded)
            if len(out) > MAX_ALTERNATIVES:
                raise ValueError(
                    f"expands to more than {MAX_ALTERNATIVES} alternatives: "
                    "split it into several globs"
                )
    return list(dict.fromkeys(out))


def _brace_start(pattern: str) -> int | None:
    """The index of the first '{' outside a character class, or None."""
    in_class = False
    for index, char in enumerate(pattern):
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        elif char == "{" and not in_class:
            return index
        elif char == "}" and not in_class:
            raise ValueError("has a '}' without its '{': write '[}]' for a literal brace")
    return None


def _brace_body(pattern: str, start: int) -> tuple[int, list[str]]:
    """The index of the '}' closing ``pattern[start]`` and its top-level options."""
    depth, options, begin = 0, [], start + 1
    for index in range(start, len(pattern)):
        char = pattern[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                options.append(pattern[begin:index])
                return index, options
        elif char == "," and depth == 1:
            options.append(pattern[begin:index])
            begin = index + 1
    raise ValueError("has an unclosed '{': close it, or write '[{]' for a literal brace")


def _normalise(pattern: str) -> str:
    while pattern.startswith("./"):
        pattern = pattern[2:]
    if pattern.endswith("/"):
        pattern += "**"
    return pattern


def _split(pattern: str) -> list[str]:
    """The segments of a glob, split at '/' outside character classes."""
    segments, current, index = [], "", 0
    while index < len(pattern):
        char = pattern[index]
        if char == "[":
            end = _class_end(pattern, index)
            if end != -1:
                current += pattern[index : end + 1]
                index = end + 1
                continue
        if char == "/":
            segments.append(current)
            current = ""
        else:
            current += char
        index += 1
    segments.append(current)
    return segments


def _class_end(pattern: str, index: int) -> int:
    """The index of the ']' closing the class at ``pattern[index]``, or -1."""
    # As in fnmatch, a "]" right after "[" or "[!" belongs to the class.
    start = index + 2 if pattern[index + 1 : index + 2] in ("!", "^") else index + 1
    return pattern.find("]", start + 1 if pattern[start : start + 1] == "]" else start)


def _atoms(segment: str) -> list[str]:
    """One segment of a glob as atoms: ``"*"`` or a regex matching exactly one character."""
    out: list[str] = []
    index, size = 0, len(segment)
    while index < size:
        char = segment[index]
        if char == "*":
            while index + 1 < size and segment[index + 1] == "*":
                index += 1
            out.append("*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and (end := _class_end(segment, index)) != -1:
            out.append(_class_regex(segment, index, end))
            index = end
        else:
            out.append(re.escape(char))
        index += 1
    return out


def _segment_regex(segment: str) -> str:
    """The regular expression (without anchors) for one segment of a glob."""
    return "".join("[^/]*" if atom == "*" else atom for atom in _atoms(segment))


def _class_regex(segment: str, index: int, end: int) -> str:
    start = index + 2 if segment[index + 1 : index + 2] in ("!", "^") else index + 1
    negate = "^" if start == index + 2 else ""
    chars = segment[start:end]
    last = len(chars) - 1
    body = "".join(
        c if c == "-" and 0 < k < last and chars[k - 1] != "-" else re.escape(c)
        for k, c in enumerate(chars)
    )
    return f"(?!/)[{negate}{body}]"  # a class never matches "/"


# --- The linear matcher --------------------------------------------------------------

_ANY = "**"  # a segment matching any run of whole segments


@dataclass(frozen=True)
class _Piece:
    """A star-free run of atoms: it matches exactly ``width`` characters."""

    regex: re.Pattern[str]
    width: int


@dataclass(frozen=True)
class _Segment:
    """One segment of a glob; ``*`` splits it into pieces matched leftmost-first."""

    pieces: tuple[_Piece, ...]  # the star-free runs around each '*' (empty ones kept)
    regex: re.Pattern[str] | None  # the whole segment, when it has at most one '*'

    def match(self, text: str) -> bool:
        if self.regex is not None:
            return self.regex.fullmatch(text) is not None
        return _match_pieces(self.pieces, text)


def _match_pieces(pieces: Sequence[_Piece], text: str) -> bool:
    """Pieces joined by '*': the first at the start, the last at the end, the others
    leftmost in between (leftmost is always safe: a '*' absorbs whatever is skipped)."""
    first, *middle, last = pieces
    if first.regex.match(text) is None:
        return False
    position = first.width
    for piece in middle:
        found = piece.regex.search(text, position)
        if found is None:
            return False
        position = found.end()
    start = len(text) - last.width
    return start >= position and last.regex.fullmatch(text, start) is not None


def _segment(glob_segment: str) -> _Segment | str:
    if glob_segment == _ANY:
        return _ANY
    atoms = _atoms(glob_segment)
    runs: list[list[str]] = [[]]
    for atom in atoms:
        if atom == "*":
            runs.append([])
        else:
            runs[-1].append(atom)
    pieces = tuple(_Piece(re.compile("".join(run), _FLAGS), len(run)) for run in runs)
    whole = re.compile(_segment_regex(glob_segment), _FLAGS) if len(runs) <= 2 else None
    return _Segment(pieces, whole)


@dataclass(frozen=True)
class _Glob:
    """One brace-free glob as segments, matched against a path's segments.

    Between two ``**`` lies a run of segments; each run is found leftmost after the
    previous one (a ``**`` absorbs whatever is skipped), the first at the start and the
    last at the end. Runs whose segments have at most one ``*`` are regexes over the
    path + ``/`` (each segment ``seg/``), searched in C; others go segment by segment.
    """

    runs: tuple[tuple[_Segment, ...], ...]  # the runs between '**' (one run: no '**')
    regexes: tuple[re.Pattern[str], ...] | None  # each run as 'seg/seg/' units

    def match(self, path: str) -> bool:
        if self.regexes is not None:
            return self._match_text(f"/{path}/")
        parts = path.split("/")
        if len(self.runs) == 1:
            return len(parts) == len(self.runs[0]) and _run_at(self.runs[0], parts, 0)
        first, *middle, last = self.runs
        if len(parts) < len(first) + len(last) or not _run_at(first, parts, 0):
            return False
        position = len(first)
        for run in middle:
            found = _find_run(run, parts, position, len(parts) - len(last))
            if found is None:
                return False
            position = found + len(run)
        start = len(parts) - len(last)
        return start >= position and _run_at(last, parts, start)

    def _match_text(self, text: str) -> bool:
        """``text`` is '/path/': each run's regex is '/seg/seg/', sharing its slashes."""
        assert self.regexes is not None
        if len(self.regexes) == 1:
            return self.regexes[0].fullmatch(text) is not None
        first, *middle, last = self.regexes
        head = first.match(text)
        if head is None:
            return False
        position = head.end() - 1
        for regex in middle:
            found = regex.search(text, position)
            if found is None:
                return False
            position = found.end() - 1
        start = _slash_before_last(text, len(self.runs[-1]))
        return start is not None and start >= position and last.fullmatch(text, start) is not None


def _slash_before_last(text: str, count: int) -> int | None:
    """The index of the '/' before the last ``count`` segments of '/path/'."""
    index = len(text) - 1
    for _ in range(count):
        index = text.rfind("/", 0, index)
        if index == -1:
            return None
    return index


def _run_regexes(runs: Sequence[Sequence[_Segment]]) -> tuple[re.Pattern[str], ...] | None:
    """Each run as a regex '/seg/seg/', or None when a segment has several '*'.

    Searching for '/migrations/' lets ``re`` scan for a literal, where a lookbehind
    for the segment boundary would try every position.
    """
    if any(segment.regex is None for run in runs for segment in run):
        return None
    return tuple(
        re.compile("/" + "".join(f"(?:{s.regex.pattern})/" for s in run if s.regex), _FLAGS)
        for run in runs
    )


def _run_at(chunk: Sequence[_Segment], parts: Sequence[str], start: int) -> bool:
    if start + len(chunk) > len(parts):
        return False
    return all(segment.match(parts[start + k]) for k, segment in enumerate(chunk))


def _find_run(chunk: Sequence[_Segment], parts: Sequence[str], start: int, stop: int) -> int | None:
    """The leftmost index at or after ``start`` where ``chunk`` matches, ending by ``stop``."""
    for index in range(start, stop - len(chunk) + 1):
        if _run_at(chunk, parts, index):
            return index
    return None


def _compile_one(pattern: str) -> _Glob:
    """One brace-free glob; a trailing ``**`` needs at least one segment below it."""
    pattern = _normalise(pattern)
    runs: list[list[_Segment]] = [[]]
    raw = _split(pattern)
    for position, part in enumerate(raw):
        if part == _ANY:
            if position == len(raw) - 1:
                runs[-1].append(_plain(_segment("*")))  # at least one segment below
            if runs[-1] or len(runs) == 1:
                runs.append([])  # '**/**/' is '**/'
        else:
            runs[-1].append(_plain(_segment(part)))
    frozen = tuple(tuple(run) for run in runs)
    return _Glob(frozen, _run_regexes(frozen))


def _plain(segment: _Segment | str) -> _Segment:
    assert isinstance(segment, _Segment)
    return segment


# A backtracking regex with k '(?:[^/]+/)*' groups may try depth**k splits of a path of
# that many folders; it is used only while depth**(k - 1) stays under this budget (a few
# thousand steps per character at worst), the linear matcher beyond.
DEPTH_BUDGET = 1000


def _regex(pattern: str) -> tuple[str, int] | None:
    """A backtracking regex for a brace-free glob and its number of '**/' groups, or
    None when a segment has several '*' (backtracking within a segment is unbounded)."""
    segments = _split(_normalise(pattern))
    out: list[str] = []
    groups = 0
    for position, segment in enumerate(segments):
        last = position == len(segments) - 1
        if segment == _ANY:
            if not last and out and out[-1] == "(?:[^/]+/)*":
                continue  # '**/**/' is '**/'
            out.append("(?s:.*)" if last else "(?:[^/]+/)*")
            groups += 0 if last else 1
            continue
        regex = _segment_regex(segment)
        if regex.count("[^/]*") > 1:
            return None
        out.append(regex if last else regex + "/")
    return "".join(out), groups


def _either(regexes: Sequence[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{r})" for r in regexes), _FLAGS) if regexes else None


class GlobSet:
    """Several globs as one matcher: a path matches when any glob matches it.

    Globs with at most one ``**`` are one regex (linear: a single group of folders).
    Those with more are a second regex, used while the path is shallow enough for its
    cost to stay bounded (``DEPTH_BUDGET``), and the linear matcher beyond; globs with
    several ``*`` in one segment always go through the linear matcher.
    """

    __slots__ = (
        "_deep",
        "_deep_groups",
        "_deep_linear",
        "_fast",
        "_only_fast",
        "_slow",
        "patterns",
    )

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns: tuple[str, ...] = tuple(patterns)
        fast: list[str] = []
        deep: list[str] = []
        deep_linear: list[_Glob] = []
        slow: list[_Glob] = []
        self._deep_groups = 0
        for pattern in self.patterns:
            for alternative in expand_braces(pattern):
                found = _regex(alternative)
                if found is None:
                    slow.append(_compile_one(alternative))
                elif found[1] <= 1:
                    fast.append(found[0])
                else:
                    deep.append(found[0])
                    deep_linear.append(_compile_one(alternative))
                    self._deep_groups = max(self._deep_groups, found[1])
        self._fast = _either(fast)
        self._deep = _either(deep)
        self._deep_linear = tuple(deep_linear)
        self._slow = tuple(slow)
        self._only_fast = not deep and not slow  # the usual case: one regex call

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def __repr__(self) -> str:
        return f"GlobSet({list(self.patterns)!r})"

    def match(self, path: str) -> bool:
        if self._fast is not None and self._fast.fullmatch(path) is not None:
            return True
        if self._only_fast:
            return False
        if self._deep is not None:
            if path.count("/") ** (self._deep_groups - 1) <= DEPTH_BUDGET:
                if self._deep.fullmatch(path) is not None:
                    return True
            elif any(glob.match(path) for glob in self._deep_linear):
                return True
        return bool(self._slow) and any(glob.match(path) for glob in self._slow)


@functools.lru_cache(maxsize=4096)
def compile_glob(pattern: str) -> GlobSet:
    """The matcher for one glob (a ``ValueError`` when its braces do not expand)."""
    return GlobSet([pattern])


def matches(pattern: str, path: str) -> bool:
    """True when the repository-relative POSIX ``path`` matches ``pattern``."""
    return compile_glob(pattern).match(path)


def slow_matches(pattern: str, path: str) -> bool:
    """``matches`` through the piecewise matcher only (tests compare the two paths)."""
    return any(_compile_one(alternative).match(path) for alternative in expand_braces(pattern))
