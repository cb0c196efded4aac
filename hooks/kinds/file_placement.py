"""file-placement: files in scope must match ``allow`` and must not match ``deny``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from charter.hooks.globs import GlobSet
from charter.hooks.kinds.examples import Example, first, path_like
from charter.hooks.kinds.kind import Fields, Kind, Reads, Strictness, finding, or_list

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.view import SnapshotView


def check(active: ActiveConstraint, view: SnapshotView, paths: Sequence[str]) -> Iterator[Finding]:
    constraint = active.constraint
    allow = GlobSet(constraint.allow or ())
    deny = GlobSet(constraint.deny or ())
    for path in paths:
        if constraint.allow is not None and not allow.match(path):
            where = ", ".join(constraint.allow)
            yield finding(active, path, 0, 0, f"file is outside {where}", "placement")
        elif deny.match(path):
            yield finding(active, path, 0, 0, "file is in a denied place", "placement")


def instruction(f: Fields) -> str:
    parts = []
    if f.get("allow") is not None:
        parts.append(f"Put files only at paths matching {or_list(f['allow'])}")
    if f.get("deny"):
        parts.append(f"Do not create files matching {or_list(f['deny'])}")
    return "; ".join(parts)


def check_fields(record: Any) -> None:
    """What the fields must hold together (run with and without pydantic)."""
    if record.allow is None and record.deny is None:
        raise ValueError("set 'allow' (where files may live) or 'deny' (where they may not)")


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from pydantic import Field

    from charter.hooks.constraint.fields import ConstraintBase, Globs, checked_by

    class FilePlacement(ConstraintBase):
        kind: Literal["file-placement"]
        allow: Globs | None = Field(default=None, description="Files in scope must match one.")
        deny: Globs | None = Field(default=None, description="Files in scope must match none.")

        _checks = checked_by(check_fields)

    return FilePlacement


def example(f: Fields) -> Example:
    if f.get("deny"):
        return f"a new file `{path_like(first(f['deny']))}`", "Put the file where it belongs"
    target = path_like(first(f.get("allow")))
    return "a new file outside the allowed places, such as `scratch.py`", (
        f"Move it to a matching place, such as `{target}`"
    )


KIND = Kind(
    name="file-placement",
    rank=90,
    sample={"allow": ["src/**"], "deny": ["src/tmp/**"]},
    summary=(
        "Files in scope must match an `allow` glob and must not match a `deny` glob "
        "(no new modules at the root, tests only under `tests/`)."
    ),
    example=example,
    model=model,
    reads=Reads.PATHS,
    check=check,
    strictness={"allow": Strictness.NO_NEW, "deny": Strictness.KEEPS},
    instruction=instruction,
    vocabulary=lambda f: (
        "file folder directory place location put create new module script layout next beside root"
    ),
    globs=("allow",),  # 'deny' globs are exempt: matching nothing is their aim
)
