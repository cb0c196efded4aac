"""A regular expression compiled the first time it is used, not when its module loads.

Compiling is ~0.1-1.5 ms a pattern (``re`` parses and compiles it in Python); a hook
loads modules whose patterns a clean run never uses (a waiver comment, a trailer, an
import statement to read back), and paid for them on every commit (issue 15). Two
threads that use a pattern first at the same time both compile it, and get the same.
"""

from __future__ import annotations

import re
from typing import AnyStr, Generic


class Lazy(Generic[AnyStr]):
    """``re.compile(pattern, flags)``, on first use: ``PATTERN.get().match(text)``."""

    __slots__ = ("_compiled", "flags", "pattern")
    pattern: AnyStr
    flags: int

    def __init__(self, pattern: AnyStr, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[AnyStr] | None = None

    def get(self) -> re.Pattern[AnyStr]:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self.flags)
        return compiled
