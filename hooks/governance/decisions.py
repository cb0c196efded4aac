"""Decisions compared: constraints of accepted decisions that are gone or relaxed.

A constraint that moved, or was rewritten at least as strictly, in any accepted decision
is not gone; a relaxation is a field weakened (``rules``), a layer order that allows
more, or a scope that covers fewer of the repository's files.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from charter.hooks.constraint.active import governs
from charter.hooks.governance.rules import FIELD_NAMES, field_change
from charter.hooks.governance.weakening import Weakening
from charter.hooks.kinds import KINDS
from charter.hooks.source.snapshot import Snapshot

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.settings import Settings


@dataclass(frozen=True)
class _Governed:
    """A constraint of an accepted decision, and where it is written."""

    active: ActiveConstraint
    line: int


def _accepted(snapshot: Snapshot, folder: str) -> tuple[list[_Governed], dict[str, Any]]:
    """The constraints of the accepted decisions, and every decision's file and status."""
    from charter.hooks.decisions import catalog, load

    loaded = load.load_snapshot(snapshot, folder)
    built, _ = catalog.build(loaded.files, loaded.headers)
    governed = [
        _Governed(item, _file_of(built, item.source).line_of("constraints", item.index))
        for item in built.active()
        if built.enforcement(_file_of(built, item.source)) == "error"
    ]
    statuses = {
        item.decision.id: (item, built.status(item), built.superseded_by.get(item.decision.id))
        for item in built.files
    }
    return governed, statuses


def accepted_rules(snapshot: Snapshot, folder: str) -> list[ActiveConstraint]:
    """The constraints the accepted decisions of a snapshot enforce as errors."""
    return [item.active for item in _accepted(snapshot, folder)[0]]


def _file_of(built: Any, source: str) -> Any:
    return next(item for item in built.files if item.path == source)


def weakenings(base: Snapshot, current: Snapshot, settings: Settings) -> Iterator[Weakening]:
    before, _ = _accepted(base, settings.decisions)
    after, statuses = _accepted(current, settings.decisions)
    files = sorted(set(base.files()) | set(current.files()))
    by_kind: dict[str, list[_Governed]] = {}
    for item in after:
        by_kind.setdefault(item.active.kind, []).append(item)
    for old in before:
        candidates = by_kind.get(old.active.kind, [])
        if any(not _relaxations(old.active, new.active, files) for new in candidates):
            continue  # kept, moved or rewritten at least as strictly
        same_id = next((new for new in candidates if new.active.id == old.active.id), None)
        if same_id is not None:
            for what in _relaxations(old.active, same_id.active, files):
                yield Weakening(
                    same_id.active.source,
                    same_id.line,
                    f"{old.active.id} ({old.active.kind}) {what}",
                    f"relaxed:{old.active.id}:{what}",
                )
        else:
            yield _gone(old, statuses)


def _gone(old: _Governed, statuses: Mapping[str, Any]) -> Weakening:
    active = old.active
    what = f"{active.id} ({active.kind}) of {active.decision} is no longer enforced: "
    entry = statuses.get(active.decision)
    if entry is None:
        what += f"{active.decision} was removed or no longer validates ({active.source})"
        return Weakening(active.source, 1, what, f"gone:{active.id}")
    item, status, superseded_by = entry
    if superseded_by is not None:
        what += f"{active.decision} is superseded by {superseded_by}"
        line = item.line_of("status")
    elif status != "accepted":
        what += f"{active.decision}'s status changed from accepted to {status}"
        line = item.line_of("status")
    else:
        what += f"the constraint was removed from {active.decision}"
        line = item.line_of("constraints")
    return Weakening(item.path, line, what, f"gone:{active.id}")


def _relaxations(old: ActiveConstraint, new: ActiveConstraint, files: Sequence[str]) -> list[str]:
    """How ``new`` is weaker than ``old`` (empty when it is at least as strict)."""
    found: list[str] = []
    if old.severity == "error" and new.severity != "error":
        found.append("was lowered from error to warning")
    before, after = old.constraint, new.constraint
    kind = KINDS[old.kind]
    for field, rule in kind.strictness.items():
        change = field_change(rule, getattr(before, field, None), getattr(after, field, None))
        if change:
            found.append(f"'{FIELD_NAMES.get(field, field)}' {change}")
    if kind.relaxations is not None:
        found.extend(kind.relaxations(before, after))
    covered_before, covered_after = governs(old), governs(new)
    lost = [path for path in files if covered_before(path) and not covered_after(path)]
    if lost:
        more = f" and {len(lost) - 1} more" if len(lost) > 1 else ""
        found.append(f"no longer covers {lost[0]}{more} (its scope narrowed)")
    return found
