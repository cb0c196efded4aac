"""The decisions an agent is told about: accepted and proposed ones, as plain records.

Deprecated, superseded and rejected decisions are left out: they are not in force.
A record keeps what retrieval and rendering need (id, title, status, file, tags, scope,
prose, constraints as plain dicts), so both stay pure functions of their input.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from charter.hooks.settings import Settings
from charter.hooks.source.cache import save_bytes


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
    """Accepted and proposed decisions, by id; errors in the records stop with exit 2.

    Validated (PyYAML, pydantic) only when a decision file changed: the records are kept
    in ``<cache_dir>/records-<digest>.json``, keyed as the compiled constraints are, and
    in memory for a resident process (the MCP server asks on every request).
    """
    from charter.hooks.decisions.compile import folder_digest

    cache = settings.root / settings.cache_dir / f"records-{folder_digest(settings)}.json"
    found = _KEPT.get(cache) or _read(cache)
    if found is None:
        found = _validated(settings)
        save_bytes(cache, json.dumps([_to_data(record) for record in found]).encode())
    _KEPT.clear()
    _KEPT[cache] = found
    return list(found)


_KEPT: dict[Path, list[Record]] = {}  # the last records read, by their cache file


def _validated(settings: Settings) -> list[Record]:
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
    # The plain form either way, so what an agent is told never depends on the cache.
    return [_from_data(_to_data(record)) for record in sorted(records, key=lambda r: r.id)]


def _to_data(record: Record) -> dict[str, Any]:
    return {**vars(record), "rules": [vars(rule) for rule in record.rules]}


def _from_data(data: dict[str, Any]) -> Record:
    rules = tuple(Rule(**rule) for rule in data["rules"])
    return Record(
        **{**data, "tags": tuple(data["tags"]), "scope": tuple(data["scope"]), "rules": rules}
    )


def _read(path: Path) -> list[Record] | None:
    try:
        return [_from_data(item) for item in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return None
