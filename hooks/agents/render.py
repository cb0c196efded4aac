"""``charter context`` output: Markdown to paste into a prompt, or JSON for tools.

Both are pure functions of the ranked hits: equal input renders to equal bytes. The
Markdown states every constraint as an instruction (see ``instructions``) with the
decision's id and file; ``budget`` (in words, as ``str.split`` counts them) drops the
lowest-ranked decisions that do not fit and names them in one line instead.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from charter.hooks.agents.instructions import action, instruction
from charter.hooks.agents.records import Record
from charter.hooks.agents.retrieve import GENERAL, SPECIFIC, Hit

SCHEMA = "charter-context/1"


def status_words(record: Record) -> str:
    if record.status == "proposed":
        return "proposed (warns, not enforced yet)"
    return record.status


def section(record: Record, reason: str = "", paths: Sequence[str] = (), level: int = 2) -> str:
    """One decision: heading, status and file, then one bullet per constraint."""
    where = ""
    if reason == SPECIFIC:
        where = f" · applies to {', '.join(paths)}"
    elif reason == GENERAL:
        where = f" · applies to every file, including {', '.join(paths)}"
    elif reason:
        where = " · matches the task"
    lines = [
        f"{'#' * level} {record.id}: {record.title}",
        f"{status_words(record)} · `{record.source}`{where}",
    ]
    if record.rules:
        lines.extend(f"- {instruction(rule)}" for rule in record.rules)
    else:
        summary = prose_summary(record.body)
        lines.append(
            f"- {summary} (not machine-checked)"
            if summary
            else "- No machine-checked constraint; read the decision file before deviating."
        )
    return "\n".join(lines)


def prose_summary(body: str, limit: int = 60) -> str:
    """The first paragraph of the decision's prose (headings skipped), at most ``limit`` words."""
    paragraph: list[str] = []
    for line in body.splitlines():
        text = line.strip()
        if text.startswith("#") or (not text and not paragraph):
            continue
        if not text:
            break
        paragraph.append(text)
    found = " ".join(paragraph).split()
    return " ".join(found[:limit]) + (" ..." if len(found) > limit else "")


def _header(paths: Sequence[str], task: str) -> str:
    lines = ["# Architecture decisions that apply", ""]
    asked = []
    if paths:
        asked.append(f"Paths: {', '.join(paths)}.")
    if task.strip():
        asked.append(f"Task: {_sentence_end(' '.join(task.split()))}")
    if asked:
        lines.append(" ".join(asked))
    lines.append(
        "Follow these decisions; `charter check` blocks commits that break the accepted ones."
    )
    return "\n".join(lines)


def _sentence_end(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def words(text: str) -> int:
    return len(text.split())


def markdown(
    hits: Sequence[Hit],
    paths: Sequence[str] = (),
    task: str = "",
    top: int | None = None,
    budget: int | None = None,
) -> str:
    """The Markdown for the best ``top`` hits, within ``budget`` words."""
    shown = list(hits if top is None else hits[:top])
    left_out = [hit.record.id for hit in hits[len(shown) :]]
    parts = [_header(paths, task)]
    if not hits:
        parts.append("No decision applies to these paths or matches the task.")
        return "\n\n".join(parts) + "\n"
    used = words(parts[0])
    over_budget: list[str] = []
    for hit in shown:
        text = section(hit.record, hit.reason, hit.paths)
        if budget is not None and (over_budget or used + words(text) > budget):
            over_budget.append(hit.record.id)
            continue
        parts.append(text)
        used += words(text)
    if over_budget:
        parts.append(
            f"Also in force, left out to fit {budget} words: {', '.join(over_budget)} "
            "(read them with `charter context` and a larger --budget)."
        )
    if left_out:
        parts.append(
            f"{len(left_out)} more decision(s) match with a lower rank: {', '.join(left_out)} "
            "(raise --top to see them)."
        )
    return "\n\n".join(parts) + "\n"


def _hit_data(hit: Hit) -> dict[str, Any]:
    record = hit.record
    return {
        "id": record.id,
        "title": record.title,
        "status": record.status,
        "file": record.source,
        "tags": list(record.tags),
        "reason": hit.reason,
        "paths": list(hit.paths),
        "score": round(hit.score, 6),
        "constraints": [
            {
                "id": rule.id,
                "kind": rule.kind,
                "severity": rule.severity,
                "instruction": action(rule),
                "message": rule.message,
                "remedy": rule.remedy,
                "text": instruction(rule),
            }
            for rule in record.rules
        ],
    }


def json_document(
    hits: Sequence[Hit], paths: Sequence[str] = (), task: str = "", top: int | None = None
) -> dict[str, Any]:
    shown = list(hits if top is None else hits[:top])
    return {
        "schema": SCHEMA,
        "query": {"paths": list(paths), "task": task, "top": top},
        "decisions": [_hit_data(hit) for hit in shown],
        "more": [hit.record.id for hit in hits[len(shown) :]],
    }


def as_json(
    hits: Sequence[Hit], paths: Sequence[str] = (), task: str = "", top: int | None = None
) -> str:
    return json.dumps(json_document(hits, paths, task, top), indent=2, sort_keys=True) + "\n"
