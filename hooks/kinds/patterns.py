"""What the two pattern kinds share: all but how they judge one file's text.

Both read the text of the files their ``files`` globs match and search it with the
decision's pattern. The pattern runs on RE2 (linear time), or under a time limit per
file when RE2 cannot run it (``userregex``): a file where the limit ran out is a finding
at its line 1, never a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from charter.hooks.globs import GlobSet
from charter.hooks.kinds.examples import Example
from charter.hooks.kinds.kind import Fields, Kind, Reads, Strictness, finding, or_list
from charter.hooks.userregex import RegexTimeout, compile_pattern

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.userregex import UserRegex
    from charter.hooks.view import SnapshotView

# A regex cannot be compared with another (any change needs approval); files searched
# may be added, not removed.
STRICTNESS = {"pattern": Strictness.SAME, "files": Strictness.KEEPS}
GLOBS = ("files",)

# How a pattern kind judges one file: (constraint, regex, path, text) -> its findings.
Judge = Callable[["ActiveConstraint", "UserRegex", str, str], Iterable["Finding"]]


def pattern_kind(
    *,
    name: str,
    rank: int,
    sample: Fields,
    summary: str,
    judge: Judge,
    model: Callable[[], type[ConstraintBase]],
    instruction: Callable[[Fields], str],
    example: Callable[[Fields], Example],
    vocabulary: Callable[[Fields], str],
) -> Kind:
    """A kind that searches the text of its files: ``judge`` is what sets it apart."""

    def check(
        active: ActiveConstraint, view: SnapshotView, paths: Sequence[str]
    ) -> Iterator[Finding]:
        return search_each(active, view, paths, judge)

    return Kind(
        name=name,
        rank=rank,
        sample=sample,
        summary=summary,
        example=example,
        model=model,
        reads=Reads.TEXT,
        check=check,
        strictness=STRICTNESS,
        instruction=instruction,
        vocabulary=vocabulary,
        globs=GLOBS,
        targets=GLOBS,
    )


def in_files(f: Fields) -> str:
    """The instruction's words for ``files``: `` in a or b``, or nothing."""
    return f" in {or_list(f['files'])}" if f.get("files") else ""


def searched(paths: Sequence[str], files: Sequence[str]) -> Iterator[str]:
    """The paths the pattern is searched in: those matching ``files``, if given."""
    globs = GlobSet(files)
    return (path for path in paths if not globs or globs.match(path))


def search_each(
    active: ActiveConstraint,
    view: SnapshotView,
    paths: Sequence[str],
    judge: Judge,
) -> Iterator[Finding]:
    """``judge`` on each file searched; a file it ran out of time on is one finding at
    its line 1."""
    regex = compile_pattern(active.constraint.pattern)
    for path in searched(paths, active.constraint.files):
        text = view.text(path)
        if text is None:
            continue
        try:
            found = list(judge(active, regex, path, text))
        except RegexTimeout as exc:
            yield finding(active, path, 1, 1, str(exc), "timeout")
            continue
        yield from found
