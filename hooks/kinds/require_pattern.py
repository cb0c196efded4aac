"""require-pattern: a regular expression that must match the text of every file.

Runs like forbid-pattern (RE2, or a time limit per file). A file without a match is one
finding at its line 1.
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
    if regex.search(text) is None:
        message = f"does not contain the required pattern {active.constraint.pattern!r}"
        yield finding(active, path, 1, 1, message, "missing")


def instruction(f: Fields) -> str:
    return f"Every file{in_files(f)} must contain text matching the regex `{f.get('pattern')}`"


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from charter.hooks.constraint.fields import PatternRule

    class RequirePattern(PatternRule):
        kind: Literal["require-pattern"]

    return RequirePattern


def example(f: Fields) -> Example:
    where = f"`{path_like(first(f['files']))}`" if f.get("files") else "a file in scope"
    return f"{where} without text matching `{f.get('pattern')}`", "Add the required text"


KIND = pattern_kind(
    name="require-pattern",
    rank=110,
    sample={"pattern": "SPDX", "files": ["*.py"]},
    summary=(
        "A regular expression that must match the text of every file in scope "
        "(a licence header, a module docstring)."
    ),
    judge=judge,
    model=model,
    instruction=instruction,
    example=example,
    vocabulary=lambda f: "must include contain require",
)
