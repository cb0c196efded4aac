"""protected: a commit must not modify or delete these paths (adding new files is fine).

Judged on the change, not on a snapshot: applied migrations, vendored code and stable
files stay as they are unless the commit carries a ``Charter-Waive:`` trailer. Its
``paths`` name the files it is about, not a narrower scope.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Literal

from charter.hooks.constraint.active import governs
from charter.hooks.kinds.examples import Example, first, path_like
from charter.hooks.kinds.kind import Fields, Kind, Reads, Strictness, finding, or_list

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.source.changes import Change


def check_change(active: ActiveConstraint, changed: Sequence[Change]) -> Iterator[Finding]:
    covered = governs(active)
    for change in changed:
        if change.status != "added" and covered(change.path):
            message = f"protected file {change.status}"
            yield finding(active, change.path, 0, 0, message, change.status)


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from pydantic import Field

    from charter.hooks.constraint.fields import ConstraintBase, Globs

    class Protected(ConstraintBase):
        kind: Literal["protected"]
        paths: Globs = Field(min_length=1, description="Files a commit must not modify or delete.")

    return Protected


def example(f: Fields) -> Example:
    path = path_like(first(f.get("paths")))
    return f"a commit that edits or deletes `{path}`", (
        "Leave it as it is and add a new file beside it (adding files is allowed)"
    )


KIND = Kind(
    name="protected",
    rank=130,
    sample={"paths": ["migrations/**"]},
    summary=(
        "A commit must not modify or delete these paths (applied migrations, vendored "
        "code); adding a file next to them is fine."
    ),
    example=example,
    model=model,
    reads=Reads.CHANGE,
    check_change=check_change,
    strictness={"paths": Strictness.KEEPS},
    instruction=lambda f: f"Do not modify or delete {or_list(f.get('paths'))}",
    vocabulary=lambda f: (
        "edit change modify fix delete rename remove existing history applied frozen published"
    ),
    targets=("paths",),
)
