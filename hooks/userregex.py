"""A regular expression from a decision, run so that it can never hang the hook.

Anyone who can add a decision can write ``forbid-pattern: (a+)+$``; with a backtracking
engine one such pattern on one file hangs every commit of the team. So:

- a pattern RE2 accepts runs on RE2 (``google-re2``), whose time is linear in the text;
  Python's ``\\Z`` is translated to RE2's ``\\z``. RE2's ``\\w``, ``\\d`` and ``\\b`` are
  ASCII-only: write ``\\pL`` for any letter;
- any other pattern (lookaround, backreferences, ``(?x)``) runs on Python's ``re`` with
  a time limit per file (``TIME_LIMIT``): when it runs out, ``RegexTimeout`` names the
  pattern, and the caller reports a finding instead of passing the file;
- the limit is a ``SIGALRM`` timer, which ``re`` honours while matching; off the main
  thread no timer can be set, so such a pattern is refused there (``RegexTimeout``).

Both engines search with ``MULTILINE`` (``^``/``$`` at every line), as decisions expect.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any

from charter.hooks.timer import alarm

TIME_LIMIT = 2.0  # seconds per file for a pattern RE2 cannot run


class RegexTimeout(Exception):
    """A pattern ran out of time (or could not be given a time limit)."""


@dataclass(frozen=True)
class Span:
    """Where a pattern matched, and the text it matched."""

    start: int
    end: int
    text: str


def problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable regular expression, or None."""
    try:
        re.compile(pattern, re.MULTILINE)
    except re.error as exc:
        return f"invalid regular expression {_short(pattern)}: {exc}"
    except RecursionError:
        return f"regular expression {_short(pattern)} is nested too deeply"
    return None


def _short(pattern: str) -> str:
    text = repr(pattern)
    return text if len(text) <= 80 else text[:77] + "..."


def note(pattern: str) -> str | None:
    """A warning for a valid pattern that RE2 cannot run (it gets a time limit), or None."""
    if compile_pattern(pattern).engine == "re2":
        return None
    return (
        f"pattern {pattern!r} needs Python's backtracking engine (lookaround, backreference "
        f"or verbose mode), so it runs with a {TIME_LIMIT:g} s limit per file; a pattern "
        "RE2 accepts is never slow"
    )


class UserRegex:
    """One compiled pattern: ``search`` and ``finditer`` on RE2, or on ``re`` with a limit."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._re2: Any = _re2_compile(pattern)
        self._re = None if self._re2 is not None else re.compile(pattern, re.MULTILINE)

    @property
    def engine(self) -> str:
        return "re2" if self._re2 is not None else "re"

    def finditer(self, text: str) -> Iterator[Span]:
        """Every match, leftmost first; ``RegexTimeout`` past the limit (``re`` only)."""
        if self._re2 is not None:
            for match in self._re2.finditer(text):
                yield Span(match.start(), match.end(), match.group(0))
            return
        assert self._re is not None
        regex = self._re
        spans = _limited(
            lambda: [Span(m.start(), m.end(), m.group(0)) for m in regex.finditer(text)],
            self.pattern,
        )
        yield from spans

    def search(self, text: str) -> Span | None:
        return next(iter(self.finditer(text)), None)


@functools.lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> UserRegex:
    """The compiled form of a pattern that ``problem`` accepts (cached)."""
    return UserRegex(pattern)


def _re2_compile(pattern: str) -> Any:
    """The RE2 form of ``pattern``, or None when RE2 does not support it."""
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        return None
    options = re2.Options()
    options.log_errors = False  # an unsupported pattern is not an error: it falls back
    translated = re.sub(r"(?<!\\)((?:\\\\)*)\\Z", r"\1\\z", pattern)
    try:
        return re2.compile(f"(?m){translated}", options)
    except re2.error:
        return None


def _limited(call: Any, pattern: str) -> Any:
    """``call()`` under a ``TIME_LIMIT`` alarm; ``RegexTimeout`` when it runs out."""
    if threading.current_thread() is not threading.main_thread():
        raise RegexTimeout(
            f"pattern {pattern!r} needs a time limit, which only the main thread can set; "
            "rewrite it without lookaround or backreferences so RE2 can run it"
        )

    def expire(signum: int, frame: FrameType | None) -> None:
        raise RegexTimeout(
            f"pattern {pattern!r} ran for more than {TIME_LIMIT:g} s on this file "
            "(catastrophic backtracking): rewrite it without lookaround or backreferences "
            "so RE2 can run it in linear time"
        )

    with alarm(TIME_LIMIT, expire):
        return call()
