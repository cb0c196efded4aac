"""Retrieval quality on a labelled set: recall@3, recall@5 and precision@3.

The set is a YAML file::

    project: .                 # the project's root, relative to this file
    queries:
      - id: api-endpoint
        paths: [src/shop/api/orders.py]
        task: add an endpoint that lists a customer's orders
        relevant: [SHOP-0002, SHOP-0003]

Recall@k is, averaged over queries, the share of a query's relevant decisions among
the first k returned; precision@3 the share of the first three places (always three,
as usual) holding a relevant decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from charter.hooks.errors import CharterError


@dataclass(frozen=True)
class Query:
    id: str
    paths: tuple[str, ...]
    task: str
    relevant: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    query: Query
    ranked: tuple[str, ...]  # decision ids, best first


@dataclass(frozen=True)
class Metrics:
    queries: int
    decisions: int
    recall_at_3: float
    recall_at_5: float
    precision_at_3: float
    outcomes: tuple[Outcome, ...]


def read_set(path: Path) -> tuple[Path, list[Query]]:
    """The project root and the queries of a labelled set."""
    import yaml

    from charter.hooks import boundedyaml

    try:
        data: Any = boundedyaml.load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CharterError(f"{path}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise CharterError(f"{path}: malformed YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("queries"), list):
        raise CharterError(f"{path}: expected a mapping with 'project' and a 'queries' list")
    root = (path.parent / str(data.get("project", "."))).resolve()
    queries = []
    for number, item in enumerate(data["queries"]):
        where = f"{path}: queries[{number}]"
        if not isinstance(item, dict) or not item.get("relevant"):
            raise CharterError(f"{where}: each query needs 'relevant' decision ids")
        if not item.get("paths") and not item.get("task"):
            raise CharterError(f"{where}: give 'paths', 'task' or both")
        queries.append(
            Query(
                id=str(item.get("id", number)),
                paths=tuple(str(p) for p in item.get("paths") or ()),
                task=str(item.get("task") or ""),
                relevant=tuple(str(r) for r in item["relevant"]),
            )
        )
    return root, queries


def evaluate(path: Path) -> Metrics:
    from charter.hooks import settings as settings_module
    from charter.hooks.agents.query import hits_for
    from charter.hooks.agents.records import load_records

    root, queries = read_set(path)
    settings, _ = settings_module.load(root)
    records = load_records(settings)
    known = {record.id for record in records}
    outcomes = []
    for query in queries:
        unknown = sorted(set(query.relevant) - known)
        if unknown:
            raise CharterError(
                f"{path}: query {query.id!r} labels unknown decision(s) {', '.join(unknown)}"
            )
        hits = hits_for(settings, query.paths, query.task, records)
        outcomes.append(Outcome(query, tuple(hit.record.id for hit in hits)))
    count = len(outcomes) or 1

    def recall(k: int) -> float:
        return (
            sum(
                len(set(o.ranked[:k]) & set(o.query.relevant)) / len(o.query.relevant)
                for o in outcomes
            )
            / count
        )

    precision = sum(len(set(o.ranked[:3]) & set(o.query.relevant)) / 3 for o in outcomes) / count
    return Metrics(
        queries=len(outcomes),
        decisions=len(records),
        recall_at_3=round(recall(3), 4),
        recall_at_5=round(recall(5), 4),
        precision_at_3=round(precision, 4),
        outcomes=tuple(outcomes),
    )
