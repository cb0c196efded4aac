"""Adoption points: which decisions of a constraint set are in force for which task.

A decision may carry ``adopted:`` (a date, or a commit id) for back-tests on history:
"had we adopted rule R at D, what would it have caught, falsely blocked and cost since?".
In a chained scenario whose tasks carry their commit and date (``charter sim import
git``), a decision is in force only for the tasks after its adoption point: a commit dated
on or after the date, or a commit that comes after the named one in the history (its
descendant on the imported, topologically ordered range). A decision without
``adopted:`` is in force throughout, so a set without adoption points replays as before.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from charter.hooks.errors import CharterError
from charter.simulator.scenario import Task


@dataclass(frozen=True)
class Adopted:
    """One decision file of a set, and when it came into force (None: always)."""

    file: Path
    decision: str
    point: datetime.date | str | None


def adoption_points(set_dir: Path) -> tuple[Adopted, ...]:
    """The decision files of ``set_dir``, each with its ``adopted:`` point.

    A file that does not load is kept, in force throughout: the hooks in the sandbox
    report it as they would in a user's repository.
    """
    from charter.hooks.decisions.load import load_file

    found: list[Adopted] = []
    for path in sorted(set_dir.glob("*.md")):
        record = load_file(path, path.name).file
        if record is None:
            found.append(Adopted(path, path.stem, None))
        else:
            found.append(Adopted(path, str(record.decision.id), record.decision.adopted))
    return tuple(found)


def staged(points: Sequence[Adopted]) -> bool:
    """Whether any decision of the set has an adoption point."""
    return any(p.point is not None for p in points)


def in_force(points: Sequence[Adopted], tasks: Sequence[Task], index: int) -> tuple[Adopted, ...]:
    """The decisions in force for ``tasks[index]``."""
    return tuple(p for p in points if _governs(p, tasks, index))


def _governs(adopted: Adopted, tasks: Sequence[Task], index: int) -> bool:
    point, task = adopted.point, tasks[index]
    if point is None:
        return True
    if isinstance(point, datetime.date):
        if task.date is None:
            raise CharterError(
                f"{adopted.file}: adopted: {point} is a date, but task {task.id!r} carries "
                "no date; import the history again with charter sim import git (it records "
                "each commit's date), or give the decision a commit id"
            )
        return task.date >= point
    position = next(
        (i for i, t in enumerate(tasks) if t.commit and t.commit.startswith(point)), None
    )
    if position is None:
        commits = [t.commit[:10] for t in tasks if t.commit]
        known = ", ".join(commits[:5]) + (" ..." if len(commits) > 5 else "") or "none"
        raise CharterError(
            f"{adopted.file}: adopted: {point} is not a commit of the scenario's history "
            f"(its commits: {known}); give one of them, or a date"
        )
    return index > position


def first_in_force(points: Sequence[Adopted], tasks: Sequence[Task]) -> dict[str, str | None]:
    """Per decision with an adoption point: the first task it governs (None: none)."""
    first: dict[str, str | None] = {}
    for adopted in points:
        if adopted.point is None:
            continue
        first[adopted.decision] = next(
            (t.id for i, t in enumerate(tasks) if _governs(adopted, tasks, i)), None
        )
    return first
