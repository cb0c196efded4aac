"""Recurrence per bug class: how often each rule with an adoption point was broken
before its guard existed and after, in the text summary and as an HTML table. Empty
when no run has adoption points (the results and reports of other runs are unchanged).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from charter.simulator.records import Recurrence, Run

HEAD = ("scenario", "set", "rule", "adopted at", "before", "landed", "after", "landed")


def rows(runs: Sequence[Run]) -> list[tuple[str, str, str, Recurrence]]:
    """(scenario, set, rule, counts) of the first epoch of each run: a replay of history
    is the same in every epoch."""
    return [
        (run.scenario, run.set_name, rule, counts)
        for run in runs
        if run.epoch == 0
        for rule, counts in sorted(run.recurrence.items())
    ]


def _rate(broke: int, tasks: int) -> str:
    return f"{broke} of {tasks} tasks" + (f" ({broke / tasks:.0%})" if tasks else "")


def text_lines(runs: Sequence[Run]) -> list[str]:
    found = rows(runs)
    if not found:
        return []
    lines = ["recurrence per rule (tasks that broke it before its guard was adopted / after):"]
    for scenario, set_name, rule, c in found:
        lines.append(
            f"  {scenario} {set_name} {rule}: before {_rate(c.before, c.tasks_before)}, "
            f"{c.landed_before} landed; after {_rate(c.after, c.tasks_after)}, "
            f"{c.landed_after} landed (adopted at {c.adopted_at or 'no task'})"
        )
    return lines


def html_table(runs: Sequence[Run]) -> str:
    found = rows(runs)
    if not found:
        return ""
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(v))}</td>"
            for v in (
                scenario,
                set_name,
                rule,
                c.adopted_at or "no task",
                _rate(c.before, c.tasks_before),
                c.landed_before,
                _rate(c.after, c.tasks_after),
                c.landed_after,
            )
        )
        + "</tr>"
        for scenario, set_name, rule, c in found
    )
    header = "".join(f"<th>{html.escape(h)}</th>" for h in HEAD)
    return (
        "<h2>Recurrence per rule</h2>"
        '<p class="note">Each rule with an adoption point (<code>adopted:</code>): the judged '
        "tasks whose tries broke it before its guard existed and after, and how many of "
        "those landed. A guard that works leaves few after, and none landed.</p>"
        f'<table class="recurrence"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'
    )
