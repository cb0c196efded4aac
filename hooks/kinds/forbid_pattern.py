"""forbid-pattern: a regular expression that must not match the text of any file.

The pattern runs on RE2 (linear time), or under a time limit per file when RE2 cannot
run it (``userregex``): a file where the limit ran out is a finding at its line 1. A
match is keyed by its text, so moving it keeps its fingerprint.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Literal

from charter.hooks.globs import GlobSet
from charter.hooks.kinds.examples import Example, first, path_like
from charter.hooks.kinds.kind import Fields, Kind, Reads, Strictness, finding, or_list
from charter.hooks.userregex import RegexTimeout, compile_pattern

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.view import SnapshotView


def searched(paths: Sequence[str], files: Sequence[str]) -> Iterator[str]:
    """The paths the pattern is searched in: those matching ``files``, if given."""
    globs = GlobSet(files)
    return (path for path in paths if not globs or globs.match(path))


def check(active: ActiveConstraint, view: SnapshotView, paths: Sequence[str]) -> Iterator[Finding]:
    constraint = active.constraint
    regex = compile_pattern(constraint.pattern)
    for path in searched(paths, constraint.files):
        text = view.text(path)
        if text is None:
            continue
        try:
            matches = list(regex.finditer(text))
        except RegexTimeout as exc:  # the file was not searched: never a pass
            yield finding(active, path, 1, 1, str(exc), "timeout")
            continue
        for match in matches:
            line = text.count("\n", 0, match.start) + 1
            col = match.start - (text.rfind("\n", 0, match.start) + 1) + 1
            snippet = match.text.strip()[:80]
            message = f"matches the forbidden pattern: {snippet!r}"
            yield finding(active, path, line, col, message, snippet)


def instruction(f: Fields) -> str:
    where = f" in {or_list(f['files'])}" if f.get("files") else ""
    return f"Do not write text matching the regex `{f.get('pattern')}`{where}"


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from pydantic import Field

    from charter.hooks.constraint.fields import ConstraintBase, Globs, Regex

    class ForbidPattern(ConstraintBase):
        kind: Literal["forbid-pattern"]
        pattern: Regex
        files: Globs = Field(default=(), description="Files searched; default: all in scope.")

    return ForbidPattern


def example(f: Fields) -> Example:
    where = f" in `{path_like(first(f['files']))}`" if f.get("files") else ""
    return f"a line matching `{f.get('pattern')}`{where}", "Remove or rewrite the matching text"


KIND = Kind(
    name="forbid-pattern",
    rank=100,
    sample={"pattern": "SELECT", "files": ["config/**"]},
    summary=(
        "A regular expression that must not match the text of the files (any file type: "
        "SQL in YAML, debug markers)."
    ),
    example=example,
    model=model,
    reads=Reads.TEXT,
    check=check,
    strictness={"pattern": Strictness.SAME, "files": Strictness.KEEPS},
    instruction=instruction,
    vocabulary=lambda f: "must not contain write",
    globs=("files",),
    targets=("files",),
)
