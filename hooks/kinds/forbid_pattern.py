"""forbid-pattern: a regular expression that must not match the text of any file.

It runs as ``patterns`` says (RE2, or a time limit per file). A match is keyed by its
text, so moving it keeps its fingerprint.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Literal

from charter.hooks.kinds.examples import Example, first, path_like
from charter.hooks.kinds.kind import Fields, finding
from charter.hooks.kinds.patterns import in_files, pattern_kind

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.userregex import UserRegex


def judge(active: ActiveConstraint, regex: UserRegex, path: str, text: str) -> Iterator[Finding]:
    for match in regex.finditer(text):
        line = text.count("\n", 0, match.start) + 1
        col = match.start - (text.rfind("\n", 0, match.start) + 1) + 1
        snippet = match.text.strip()[:80]
        message = f"matches the forbidden pattern: {snippet!r}"
        yield finding(active, path, line, col, message, snippet)


def instruction(f: Fields) -> str:
    return f"Do not write text matching the regex `{f.get('pattern')}`{in_files(f)}"


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from charter.hooks.constraint.fields import PatternRule

    class ForbidPattern(PatternRule):
        kind: Literal["forbid-pattern"]

    return ForbidPattern


def example(f: Fields) -> Example:
    where = f" in `{path_like(first(f['files']))}`" if f.get("files") else ""
    return f"a line matching `{f.get('pattern')}`{where}", "Remove or rewrite the matching text"


KIND = pattern_kind(
    name="forbid-pattern",
    rank=100,
    sample={"pattern": "SELECT", "files": ["config/**"]},
    summary=(
        "A regular expression that must not match the text of the files (any file type: "
        "SQL in YAML, debug markers)."
    ),
    judge=judge,
    model=model,
    instruction=instruction,
    example=example,
    vocabulary=lambda f: "must not contain write",
)
