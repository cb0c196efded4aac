"""ruff: the real ruff, run with the decision's rules on the files in scope.

Ruff runs ``--isolated`` (the project's own ruff configuration does not add or remove
rules here) with ``--select``/``--ignore`` from the constraint; each diagnostic is a
finding of the decision, keyed by its rule code. Files of a git snapshot (the index, a
commit) are written to a temporary folder first, so ruff sees exactly their content.
A file ruff itself fails on (it overflows its stack on code nested 100k deep) is a
finding of the decision naming it, the others are still checked (``rufftool``); a
syntax error is not a violation of the ruff rules: the engine reports it once.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from charter.hooks.kinds.examples import Example
from charter.hooks.kinds.kind import Fields, Kind, Reads, Strictness, finding, join
from charter.hooks.source import rufftool
from charter.hooks.source.snapshot import WorkTree

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.view import SnapshotView


def check(active: ActiveConstraint, view: SnapshotView, paths: Sequence[str]) -> Iterator[Finding]:
    constraint = active.constraint
    if not paths:
        return
    if isinstance(view.snapshot, WorkTree):
        root = view.snapshot.root.resolve()
        run = rufftool.run(root, list(paths), constraint.select, constraint.ignore)
    else:
        with tempfile.TemporaryDirectory(prefix="charter-ruff-") as folder:
            root = Path(folder).resolve()
            written = []
            for path in paths:
                data = view.snapshot.read(path)
                if data is None:
                    continue
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                (root / path).write_bytes(data)
                written.append(path)
            run = rufftool.run(root, written, constraint.select, constraint.ignore)
    for path, why in sorted(run.failed.items()):
        message = f"ruff could not check this file ({why}), so its rules were not applied"
        yield finding(active, path, 1, 1, message, "ruff-failed")
    for item in run.diagnostics:
        path = Path(item["filename"]).resolve().relative_to(root).as_posix()
        location = item.get("location") or {}
        code = item.get("code")
        if code in (None, "invalid-syntax"):  # not this rule's: Charter reports it once,
            view.facts(path)  # as its own finding of the files it parsed
            continue
        message = f"{code} {item.get('message', '')}".strip()
        yield finding(
            active, path, location.get("row", 0), location.get("column", 0), message, code
        )


def instruction(f: Fields) -> str:
    text = f"Keep the code clean of ruff rules {join(f.get('select'), 'and')}"
    if f.get("ignore"):
        text += f" (except {join(f['ignore'], 'and')})"
    return text


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from pydantic import Field

    from charter.hooks.constraint.fields import ConstraintBase, RuffCodes

    class Ruff(ConstraintBase):
        kind: Literal["ruff"]
        select: RuffCodes = Field(min_length=1)
        ignore: RuffCodes = ()

    return Ruff


def example(f: Fields) -> Example:
    codes = " ".join(f.get("select", ()))
    return f"code ruff reports under {codes}", (
        f"Fix what `ruff check --select {','.join(f.get('select', ()))}` reports "
        "(`--fix` repairs some)"
    )


KIND = Kind(
    name="ruff",
    rank=120,
    sample={"select": ["E501"], "ignore": ["E402"]},
    summary="Ruff rules applied to the files in scope; each ruff finding is a violation.",
    example=example,
    model=model,
    reads=Reads.PYTHON_SOURCE,
    check=check,
    strictness={"select": Strictness.KEEPS, "ignore": Strictness.NO_NEW},
    instruction=instruction,
    vocabulary=lambda f: "lint linter style rule code quality bug",
    tool="ruff",
)
