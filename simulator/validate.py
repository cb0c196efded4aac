"""``charter sim validate``: replaying the recorded set must reproduce every outcome."""

from __future__ import annotations

from charter.hooks.errors import CharterError
from charter.simulator.records import Attempt, Run, TaskResult
from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.sandbox.base import Backend
from charter.simulator.scenario import Scenario


def check(scenario: Scenario, backend: Backend, hooks: str = "pre-commit") -> tuple[list[str], Run]:
    """Every way the replay under ``recorded_with`` differs from the recording
    (``hooks``: through pre-commit, or Charter's hooks called directly)."""
    if scenario.recorded_with is None:
        raise CharterError(
            f"{scenario.folder / 'scenario.yaml'}: recorded_with is missing; name the "
            "constraint set the outcomes were recorded under"
        )
    config = RunConfig(measure=False, hooks=hooks)
    run = run_unit(scenario, scenario.recorded_with, 0, config, backend).run
    problems = [f"infra error: {message}" for message in run.infra_errors]
    records = {r.id: r for r in run.tasks}
    for task in scenario.tasks:
        record = records.get(task.id)
        if record is None:
            problems.append(f"{task.id}: not replayed (see the infra errors)")
            continue
        tried = {a.number: a for a in record.attempts}
        for number, attempt in enumerate(task.attempts, start=1):
            where = f"{task.id} attempt {number} ({attempt.patch_rel})"
            problem = _difference(attempt.outcome, tried.get(number), record, scenario)
            if problem is not None:
                problems.append(f"{where}: {problem}")
    return problems, run


def _difference(
    recorded: str | None, got: Attempt | None, record: TaskResult, scenario: Scenario
) -> str | None:
    """How one replayed try differs from its recorded outcome, or None."""
    if recorded is None:
        return "no recorded outcome"
    if got is None:
        return (
            f"recorded {recorded}, never tried: the replay ended the "
            f"task ({record.outcome}) at attempt {len(record.attempts)}"
        )
    if got.verdict == "diverged":
        return f"recorded {recorded}, but the patch does not apply"
    if got.verdict == "empty":
        return f"recorded {recorded}, but the patch changes nothing"
    if got.verdict != recorded:
        return (
            f"recorded {recorded}, replayed {got.verdict} by the hooks "
            f"under {scenario.recorded_with!r}"
        )
    return None
