"""Problems found in the user's input (decision files, config, baseline).

A problem is reported as ``path:line: severity: message``, compilers' and linters' shape,
so editors and terminals turn it into a link.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Problem(NamedTuple):
    path: str
    line: int
    severity: Severity
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


def sort_key(problem: Problem) -> tuple[str, int, str]:
    return (problem.path, problem.line, problem.message)


def field_path(loc: Iterable[str | int]) -> str:
    """``('constraints', 0, 'to')`` -> ``constraints[0].to``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
