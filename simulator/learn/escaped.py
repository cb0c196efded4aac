"""Guards from escaped violations: what the oracle flagged in a simulator run while the
set under test let it land. The proposal is the oracle's own constraint, with the tries
that escaped as its evidence."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from charter.hooks.adopt.infer import Proposal
from charter.hooks.errors import CharterError
from charter.simulator.learn.fixes import TAGS, slug
from charter.simulator.learn.records import Learned


def escaped_evidence(results: Path) -> dict[str, list[str]]:
    """Per oracle constraint id: a line per try that landed with its violation."""
    from charter.simulator import results as results_file

    document = results_file.load(results)
    found: dict[str, list[str]] = {}
    for run in document.runs:
        for task in run.tasks:
            for attempt in task.attempts:
                if not attempt.escaped:
                    continue
                for v in attempt.oracle:
                    line = (
                        f"{run.scenario} under set {run.set_name}, epoch {run.epoch}: task "
                        f"{task.id} try {attempt.number} landed `{v.key}` in {v.path} ({v.kind})"
                    )
                    found.setdefault(v.constraint, []).append(line)
    return found


def learn_from_escapes(results: Path, oracle: Path) -> list[Learned]:
    """The oracle's constraints that violations escaped, as proposals."""
    evidence = escaped_evidence(results)
    learned = []
    for constraint_id, _ident, title, fields in _oracle_constraints(oracle):
        lines = evidence.get(constraint_id)
        if not lines:
            continue
        kind = str(fields.get("kind"))
        proposal = Proposal(
            slug=f"adopt-{slug(constraint_id)}",
            title=f"Adopt the oracle's {constraint_id}: {title}",
            kind=kind,
            fields=tuple((k, v) for k, v in fields.items() if k not in ("kind", "id")),
            evidence=(f"{len(lines)} escaped tries:", *lines[:20]),
            tags=(*TAGS, "escaped"),
        )
        learned.append(Learned(proposal, "escaped", None))
    return learned


def _oracle_constraints(oracle: Path) -> list[tuple[str, str, str, Mapping[str, Any]]]:
    """(constraint id, decision id, title, fields) of every constraint of the oracle."""
    from charter.hooks.decisions.load import load_folder

    if not oracle.is_dir():
        raise CharterError(f"{oracle}: --oracle must be a folder of decision records")
    loaded = load_folder(oracle, ".")
    found: list[tuple[str, str, str, Mapping[str, Any]]] = []
    for record in loaded.files:
        decision = record.decision
        for index, constraint in enumerate(decision.constraints):
            fields = constraint.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            fields = {"kind": constraint.kind, **fields}
            found.append((decision.constraint_id(index), str(decision.id), decision.title, fields))
    return found
