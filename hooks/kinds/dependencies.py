"""dependencies: third-party imports must be allowed, or must not be forbidden.

An import is third-party when its top-level package is neither first-party (in the
module index) nor in the standard library. Names compare normalised
(``PyYAML``/``pyyaml``, ``typing-extensions``/``typing_extensions``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from charter.hooks.kinds.examples import Example, first
from charter.hooks.kinds.kind import Fields, Kind, Reads, Strictness, finding, join, or_list
from charter.hooks.kinds.topics import about
from charter.hooks.source.requirements import STANDARD, normalise

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.view import SnapshotView


def check(active: ActiveConstraint, view: SnapshotView, paths: Sequence[str]) -> Iterator[Finding]:
    constraint = active.constraint
    allow = None if constraint.allow is None else {normalise(n) for n in constraint.allow}
    forbid = {normalise(n) for n in constraint.forbid or ()}
    first_party = view.index.top_level
    for path in paths:
        for imp in view.facts(path).imports:
            top = imp.module.partition(".")[0]
            if top in first_party or top in STANDARD:
                continue
            name = normalise(top)
            if name in forbid:
                message = f"imports {top}, a forbidden dependency"
            elif allow is not None and name not in allow:
                message = f"imports {top}, which is not an allowed dependency"
            else:
                continue
            yield finding(active, path, imp.line, imp.col, message, top)


def instruction(f: Fields) -> str:
    parts = []
    if f.get("allow") is not None:
        parts.append(f"Import only these third-party packages: {join(f['allow'], 'and')}")
    if f.get("forbid"):
        parts.append(f"Do not import the third-party packages {or_list(f['forbid'])}")
    return "; ".join(parts)


def check_fields(record: Any) -> None:
    """What the fields must hold together (run with and without pydantic)."""
    if record.allow is None and record.forbid is None:
        raise ValueError("set 'allow' (packages permitted) or 'forbid' (packages banned)")


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from pydantic import Field

    from charter.hooks.constraint.fields import ConstraintBase, Distributions, checked_by

    class Dependencies(ConstraintBase):
        kind: Literal["dependencies"]
        allow: Distributions | None = Field(
            default=None, description="Only these third-party packages may be imported."
        )
        forbid: Distributions | None = Field(
            default=None, description="These third-party packages must not be imported."
        )

        _checks = checked_by(check_fields)

    return Dependencies


_COMMON_PACKAGES = ("requests", "numpy", "yaml", "boto3", "pandas")


def example(f: Fields) -> Example:
    allow = f.get("allow")
    if allow is not None:
        other = next((p for p in _COMMON_PACKAGES if p not in allow), "another_package")
        return f"`import {other}` (not in the allowed list)", (
            f"Use {', '.join(f'`{p}`' for p in allow) or 'the standard library'} instead"
        )
    return f"`import {first(f.get('forbid'))}`", "Use another package, or the standard library"


KIND = Kind(
    name="dependencies",
    rank=80,
    sample={"allow": ["requests"], "forbid": ["yaml"]},
    summary=("Third-party imports in scope must be in `allow`, or must not be in `forbid`."),
    example=example,
    model=model,
    reads=Reads.PYTHON_FACTS,
    check=check,
    strictness={"allow": Strictness.NO_NEW, "forbid": Strictness.KEEPS},
    instruction=instruction,
    vocabulary=lambda f: (
        "third party package library dependency install add requirement "
        + about([*(f.get("allow") or ()), *(f.get("forbid") or ())])
    ),
)
