"""``charter explain``: what a decision checks, why, and what breaking and fixing it look like.

The checks are the constraints' instructions (``instructions``); the why is the
decision's prose; the examples are made from each constraint's own fields, so an
explanation never describes a module or a glob the decision does not name.
"""

from __future__ import annotations

import re

from charter.hooks.agents.instructions import action
from charter.hooks.agents.records import Record, Rule
from charter.hooks.kinds import KINDS
from charter.hooks.kinds.examples import Example


def explain(record: Record, only: str | None = None, words: int = 150) -> str:
    """The explanation of ``record`` (or only of its constraint ``only``) as Markdown."""
    lines = [
        f"# {record.id}: {record.title}",
        "",
        f"- Status: {_status(record.status)}",
        f"- File: `{record.source}`",
        "",
        "## What it checks",
        "",
    ]
    rules = [rule for rule in record.rules if only in (None, rule.id)]
    if not rules:
        lines.append("Nothing machine-checked: the decision is prose only.")
    for rule in rules:
        violation, fix = example(rule)
        lines += [f"### {rule.id} [{rule.kind}]", "", _sentence(action(rule))]
        if rule.message:
            lines.append(_sentence(rule.message))
        lines += ["", f"- Violation: {violation}", f"- Fix: {fix}", ""]
    prose = why(record.body, words)
    lines += ["## Why", "", prose or "The decision file gives no reasons yet.", ""]
    return "\n".join(lines)


def _status(status: str) -> str:
    if status == "accepted":
        return "accepted (enforced: a violation blocks the commit)"
    return "proposed (a violation is a warning; it does not block yet)"


def why(body: str, limit: int) -> str:
    """The decision's prose without headings or comments, at most ``limit`` words."""
    text = re.sub(r"<!--.*?-->", "", body, flags=re.DOTALL)
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        kept = [line.strip() for line in block.splitlines() if not line.lstrip().startswith("#")]
        joined = " ".join(line for line in kept if line)
        if joined:
            paragraphs.append(joined)
    found = "\n\n".join(paragraphs).split(" ")
    if len(found) <= limit:
        return "\n\n".join(paragraphs)
    return " ".join(found[:limit]) + " ... (more in the decision file)"


def example(rule: Rule) -> Example:
    """A violation of ``rule`` and its fix, in words and code made from its fields."""
    make = KINDS[rule.kind].example
    if make is None:
        return f"what a `{rule.kind}` check reports", _sentence(rule.remedy or "Follow its message")
    violation, fix = make(rule.fields)
    return violation, _sentence(rule.remedy or fix)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."
