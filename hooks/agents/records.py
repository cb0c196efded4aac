"""The decisions an agent is told about: accepted and proposed ones, as plain records.

Deprecated, superseded and rejected decisions are left out: they are not in force.
A record keeps what retrieval and rendering need (id, title, status, file, tags, scope,
prose, constraints as plain dicts), so both stay pure functions of their input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from charter.hooks.settings import Settings


@dataclass(frozen=True)
class Rule:
    """One constraint of a decision, with the fields of its kind."""

    id: str  # e.g. ADR-0007/1
    kind: str
    severity: str  # error | warning
    fields: dict[str, Any]  # by their YAML names: "from", "to", "paths", ...
    message: str | None
    remedy: str | None


@dataclass(frozen=True)
class Record:
    id: str
    title: str
    status: str  # accepted | proposed
    source: str  # the decision file, repository-relative
    tags: tuple[str, ...]
    scope: tuple[str, ...]
    body: str
    rules: tuple[Rule, ...]


def load_records(settings: Settings) -> list[Record]:
    """Accepted and proposed decisions, by id; errors in the records stop with exit 2."""
    from charter.hooks.decisions import catalog, load

    found = catalog.in_force(load.load_folder(settings.root, settings.decisions))
    records = []
    for item in found.files:
        status = found.status(item)
        if status not in ("accepted", "proposed"):
            continue
        decision = item.decision
        rules = [
            Rule(
                id=active.id,
                kind=active.kind,
                severity=active.severity,
                fields=active.constraint.model_dump(mode="json", by_alias=True, exclude_none=True),
                message=active.constraint.message,
                remedy=active.constraint.remedy,
            )
            for active in found.active_in(item)
        ]
        records.append(
            Record(
                id=decision.id,
                title=decision.title,
                status=status,
                source=item.path,
                tags=tuple(decision.tags),
                scope=tuple(decision.scope),
                body=item.body,
                rules=tuple(rules),
            )
        )
    return sorted(records, key=lambda r: r.id)
