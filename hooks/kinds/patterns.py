"""What the two pattern kinds share: the files searched, a search bounded in time.

The pattern runs on RE2 (linear time), or under a time limit per file when RE2 cannot
run it (``userregex``): a file where the limit ran out is a finding at its line 1,
never a pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from charter.hooks.globs import GlobSet
from charter.hooks.kinds.kind import Strictness, finding
from charter.hooks.userregex import RegexTimeout, compile_pattern

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.findings import Finding
    from charter.hooks.userregex import UserRegex
    from charter.hooks.view import SnapshotView

# A regex cannot be compared with another (any change needs approval); files searched
# may be added, not removed.
STRICTNESS = {"pattern": Strictness.SAME, "files": Strictness.KEEPS}
GLOBS = ("files",)


def searched(paths: Sequence[str], files: Sequence[str]) -> Iterator[str]:
    """The paths the pattern is searched in: those matching ``files``, if given."""
    globs = GlobSet(files)
    return (path for path in paths if not globs or globs.match(path))


def search_each(
    active: ActiveConstraint,
    view: SnapshotView,
    paths: Sequence[str],
    judge: Callable[[UserRegex, str, str], Iterable[Finding]],
) -> Iterator[Finding]:
    """``judge(regex, path, text)`` on each file searched; a file it ran out of time on
    is one finding at its line 1."""
    regex = compile_pattern(active.constraint.pattern)
    for path in searched(paths, active.constraint.files):
        text = view.text(path)
        if text is None:
            continue
        try:
            found = list(judge(regex, path, text))
        except RegexTimeout as exc:
            yield finding(active, path, 1, 1, str(exc), "timeout")
            continue
        yield from found
