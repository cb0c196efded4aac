"""``charter sim validate``: replaying the recorded set must reproduce every outcome."""

from __future__ import annotations

from typing import Any

from charter.hooks.errors import CharterError
from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.sandbox.base import Backend
from charter.simulator.scenario import Scenario


def check(
    scenario: Scenario, backend: Backend, hooks: str = "pre-commit"
) -> tuple[list[str], dict[str, Any]]:
    """Every way the replay under ``recorded_with`` differs from the recording
    (``hooks``: through pre-commit, or Charter's hooks called directly)."""
    if scenario.recorded_with is None:
        raise CharterError(
            f"{scenario.folder / 'scenario.yaml'}: recorded_with is missing; name the "
            "constraint set the outcomes were recorded under"
        )
    run = run_unit(
        scenario, scenario.recorded_with, 0, RunConfig(measure=False, hooks=hooks), backend
    )
    problems = [f"infra error: {message}" for message in run["infra_errors"]]
    records = {r["id"]: r for r in run["tasks"]}
    for task in scenario.tasks:
        record = records.get(task.id)
        if record is None:
            problems.append(f"{task.id}: not replayed (see the infra errors)")
            continue
        tried = {a["try"]: a for a in record["attempts"]}
        for number, attempt in enumerate(task.attempts, start=1):
            where = f"{task.id} attempt {number} ({attempt.patch_rel})"
            got = tried.get(number)
            if attempt.outcome is None:
                problems.append(f"{where}: no recorded outcome")
            elif got is None:
                problems.append(
                    f"{where}: recorded {attempt.outcome}, never tried: the replay ended the "
                    f"task ({record['outcome']}) at attempt {len(record['attempts'])}"
                )
            elif got["verdict"] == "diverged":
                problems.append(
                    f"{where}: recorded {attempt.outcome}, but the patch does not apply"
                )
            elif got["verdict"] == "empty":
                problems.append(
                    f"{where}: recorded {attempt.outcome}, but the patch changes nothing"
                )
            elif got["verdict"] != attempt.outcome:
                problems.append(
                    f"{where}: recorded {attempt.outcome}, replayed {got['verdict']} by the hooks "
                    f"under {scenario.recorded_with!r}"
                )
    return problems, run
