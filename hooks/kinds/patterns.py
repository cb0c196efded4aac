"""forbid-pattern / require-pattern: a regular expression on any text file.

Patterns run on RE2 (linear time) or, when RE2 cannot run them, under a time limit per
file (``userregex``): a file where the limit ran out is a finding at its line 1, never
a pass. A forbidden match is keyed by its text (so moving it keeps its fingerprint); a
missing required pattern is one finding at line 1 of the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from charter.hooks.context import finding
from charter.hooks.globs import GlobSet
from charter.hooks.userregex import RegexTimeout, compile_pattern

if TYPE_CHECKING:
    from charter.hooks.context import Context
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import ForbidPattern, RequirePattern
    from charter.hooks.findings import Finding


def _files(active: ActiveConstraint, context: Context, files: GlobSet) -> Iterator[str]:
    for path in context.in_scope(active):
        if not files or files.match(path):
            yield path


def forbid(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: ForbidPattern = active.constraint
    regex = compile_pattern(constraint.pattern)
    for path in _files(active, context, GlobSet(constraint.files)):
        text = context.text(path)
        if text is None:
            continue
        try:
            matches = list(regex.finditer(text))
        except RegexTimeout as exc:
            yield finding(active, path, 1, 1, str(exc), "timeout")
            continue
        for match in matches:
            line = text.count("\n", 0, match.start) + 1
            col = match.start - (text.rfind("\n", 0, match.start) + 1) + 1
            snippet = match.text.strip()[:80]
            message = f"matches the forbidden pattern: {snippet!r}"
            yield finding(active, path, line, col, message, snippet)


def require(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: RequirePattern = active.constraint
    regex = compile_pattern(constraint.pattern)
    for path in _files(active, context, GlobSet(constraint.files)):
        text = context.text(path)
        if text is None:
            continue
        try:
            found = regex.search(text)
        except RegexTimeout as exc:
            yield finding(active, path, 1, 1, str(exc), "timeout")
            continue
        if found is None:
            message = f"does not contain the required pattern {constraint.pattern!r}"
            yield finding(active, path, 1, 1, message, "missing")
