"""The live agents' tries of ``charter sim`` results, as ``charter sim calibrate`` fits them.

A run of ``--agent-cmd`` records each try of a real agent under the set's real hooks:
the verdict, what the hooks printed to the agent (``agent_trace.hook_output``) and the
oracle's label (``false_block``). Each rejected try is one decision of the agent, read
as in a journal (calibrate.py): **repaired** when its next try was accepted, **failed a
repair** when the next was rejected again (or made no change), **gave up** when it was
the last. A block carries a remedy when the hooks' output the agent saw had a
``remedy:`` line; it is **wrong** when the oracle labels it a false block.

Only runs of live agents are read: the tries of the replay, stochastic or reactive
agents are the simulator's own draws, and fitting on them would be circular.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from charter.hooks.errors import CharterError
from charter.simulator import results
from charter.simulator.calibrate import Block, rejected_blocks
from charter.simulator.records import Attempt, Run

LIVE = "command"  # the agent name of --agent-cmd runs


@dataclass(frozen=True)
class RunTask:
    """A live agent's task: its tries' verdicts, and the blocks it met (in order)."""

    outcomes: tuple[str, ...]
    remedies: tuple[bool, ...]  # per try: the hooks' output it saw carried a remedy
    wrong: tuple[bool, ...]  # per try: a block the oracle finds nothing wrong with
    bypassed: bool = False  # never seen: the simulator commits for the agent


def read(paths: Sequence[Path]) -> tuple[list[RunTask], list[Block], list[str]]:
    """The live agents' tasks and blocks of the results ``paths``, and warnings."""
    found: list[RunTask] = []
    warnings: list[str] = []
    for path in paths:
        doc = results.load(path)
        for run in doc.runs:
            where = f"{path}: {run.scenario}/{run.set_name}/epoch {run.epoch}"
            if run.config.agent != LIVE:
                warnings.append(
                    f"{where}: agent {run.config.agent!r} is the simulator's, not a live "
                    "agent's tries; left out"
                )
                continue
            found.extend(_tasks(run))
            capped = _capped(run)
            if capped:
                warnings.append(
                    f"{where}: {capped} task(s) stopped at --max-tries "
                    f"{run.config.max_tries}: the agent's own budget may be larger"
                )
    if not found:
        named = ", ".join(str(p) for p in paths)
        raise CharterError(
            f"{named}: no run of a live agent to calibrate on; record some with "
            "charter sim run --agent-cmd CMD (its results keep each try and the hooks' output)"
        )
    return found, _blocks(found), warnings


def _tasks(run: Run) -> list[RunTask]:
    tasks = []
    for task in run.tasks:
        tries = [a for a in task.attempts if a.verdict in ("accepted", "rejected", "empty")]
        if not tries or task.outcome in ("context", "error"):
            continue
        tasks.append(
            RunTask(
                outcomes=tuple(a.verdict for a in tries),
                remedies=tuple(_remedy(a) for a in tries),
                wrong=tuple(a.false_block for a in tries),
            )
        )
    return tasks


def _remedy(attempt: Attempt) -> bool:
    trace = attempt.agent_trace
    return trace is not None and any(
        line.strip().startswith("remedy:") for line in trace.hook_output.splitlines()
    )


def _capped(run: Run) -> int:
    limit = run.config.max_tries
    return sum(
        1
        for t in run.tasks
        if limit is not None and len(t.attempts) >= limit and t.outcome != "landed"
    )


def _blocks(found: Sequence[RunTask]) -> list[Block]:
    return rejected_blocks(found, lambda task, index: (task.remedies[index], task.wrong[index]))
