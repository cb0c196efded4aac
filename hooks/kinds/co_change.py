"""co-change: when files matching ``when`` change, files matching ``require`` must too.

``when`` files are those of the change inside the decision's scope; ``require`` globs
are matched against every file of the change (a migration may live outside the scope of
the models it follows). Reported once per commit, at the first ``when`` file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Literal

from charter.hooks.constraint.active import governs
from charter.hooks.globs import GlobSet
from charter.hooks.kinds.examples import Example, first, path_like
from charter.hooks.kinds.kind import Fields, Kind, Reads, Strictness, finding, or_list

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.source.changes import Change

NAME = "co-change"


def check_change(active: ActiveConstraint, changed: Sequence[Change]) -> Iterator[Finding]:
    constraint = active.constraint
    in_scope, when, require = governs(active), GlobSet(constraint.when), GlobSet(constraint.require)
    triggers = [c.path for c in changed if in_scope(c.path) and when.match(c.path)]
    if not triggers or any(require.match(c.path) for c in changed):
        return
    others = f" (and {len(triggers) - 1} more)" if len(triggers) > 1 else ""
    message = (
        f"{triggers[0]}{others} changed, but no file matching "
        f"{', '.join(constraint.require)} changed with it"
    )
    yield finding(active, triggers[0], 0, 0, message, NAME)


def instruction(f: Fields) -> str:
    return (
        f"When you change {or_list(f.get('when'))}, also change "
        f"{or_list(f.get('require'))} in the same commit"
    )


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from pydantic import Field

    from charter.hooks.constraint.fields import ConstraintBase, Globs

    class CoChange(ConstraintBase):
        kind: Literal["co-change"]
        when: Globs = Field(min_length=1)
        require: Globs = Field(min_length=1)

    return CoChange


def example(f: Fields) -> Example:
    when, require = path_like(first(f.get("when"))), path_like(first(f.get("require")))
    return f"a commit that changes `{when}` and nothing matching `{first(f.get('require'))}`", (
        f"Change `{require}` in the same commit"
    )


KIND = Kind(
    name=NAME,
    rank=140,
    sample={"when": ["app/models.py"], "require": ["migrations/**"]},
    summary=(
        "When files matching `when` change, a file matching `require` must change in the "
        "same commit."
    ),
    example=example,
    later_edit_may_satisfy=True,
    model=model,
    reads=Reads.CHANGE,
    check_change=check_change,
    strictness={"when": Strictness.KEEPS, "require": Strictness.NO_NEW},  # any one satisfies
    instruction=instruction,
    vocabulary=lambda f: "together same commit update also change announce",
    globs=("when", "require"),
    targets=("when", "require"),
)
