"""The simulator's records without a sandbox: a try judged, a run file read back, the
results document built in one place (with or without its A/B comparison)."""

from __future__ import annotations

import json
from pathlib import Path

from charter.simulator import metrics, results
from charter.simulator.records import (
    Attempt,
    DriftPoint,
    Environment,
    PolicySettings,
    Run,
    RunKey,
    RunSettings,
    RunTimings,
    SimSettings,
    TaskResult,
    TimedRun,
    Violation,
)

SETTINGS = RunSettings(
    seed=0,
    policy=PolicySettings(name="abandon", p_repair=1.0, p_bypass=1.0),
    agent="replay",
    iterations=None,
    agent_cmd=None,
    max_tries=None,
)


def _violation(path: str, decision: str = "ADR-1") -> Violation:
    return Violation(
        decision=decision, constraint=f"{decision}#1", kind="forbid-import", path=path,
        key="app.db", fingerprint=f"fp-{path}",
    )  # fmt: skip


def _timed(set_name: str, verdict: str, oracle: tuple[Violation, ...]) -> TimedRun:
    attempt = Attempt.judged(
        1, "recorded:1", "tasks/T001/1.diff", "accepted", "clean", verdict, oracle
    )
    outcome = "landed" if attempt.landed else "abandoned"
    task = TaskResult(
        id="T001", iteration=1, outcome=outcome, recorded_outcome="landed", retries=0,
        policy_action=None if attempt.landed else "abandon", attempts=(attempt,),
    )  # fmt: skip
    final = len(oracle) if attempt.landed else 0
    point = DriftPoint(
        iteration=1, task="T001", violations=final, by_decision={"ADR-1": final} if final else {},
        layer_edges=0, cycles=0, misplaced_files=0, waivers=0, waived=0, baseline=0,
    )  # fmt: skip
    run = Run(
        scenario="tiny", set_name=set_name, epoch=0, mode="chained", config=SETTINGS,
        tasks=(task,), drift=(point,), infra_errors=(),
        metrics=metrics.run_metrics((task,), (point,), 0),
        by_decision=metrics.by_decision((task,), (point,)),
    )  # fmt: skip
    timings = RunTimings(wall_s=1.5, setup_ms=10.0, attempts=(), drift_ms=(3.0,))
    return TimedRun(run=run, timings=timings)


def test_a_try_is_judged_from_its_verdict_and_the_oracle() -> None:
    found = (_violation("src/b.py"), _violation("src/a.py"))
    escaped = Attempt.judged(1, "recorded:1", None, None, "clean", "accepted", found)
    assert (escaped.landed, escaped.escaped, escaped.blocked) == (True, True, False)
    assert [v.path for v in escaped.oracle] == ["src/a.py", "src/b.py"]
    false_block = Attempt.judged(2, "recorded:2", None, None, "clean", "rejected")
    assert (false_block.blocked, false_block.false_block, false_block.landed) == (True, True, False)
    assert escaped.as_json()["try"] == 1 and "number" not in escaped.as_json()


def test_a_run_file_reads_back_only_with_its_key_and_its_shape(tmp_path: Path) -> None:
    timed = _timed("strict", "rejected", (_violation("src/a.py"),))
    key = RunKey(
        scenario="tiny", digest="abc", set_name="strict", epoch=0, config=SETTINGS, version="0"
    )
    path = results.write_run(tmp_path, timed, key)
    assert results.read_run(path, key) == timed
    assert results.read_run(path, key.model_copy(update={"digest": "edited"})) is None
    data = json.loads(path.read_text())
    del data["run"]["metrics"]  # a run file of another shape is run again, not trusted
    path.write_text(json.dumps(data))
    assert results.read_run(path, key) is None


def test_the_results_document_holds_the_comparison_only_when_asked(tmp_path: Path) -> None:
    runs = [
        _timed("strict", "rejected", (_violation("src/a.py"),)),
        _timed("baseline", "accepted", (_violation("src/a.py"),)),
    ]
    settings = SimSettings(
        **SETTINGS.model_dump(), sets=("baseline", "strict"), scenarios=("tiny",), epochs=1
    )
    env = Environment(sandbox="local", isolates=False, notice="no isolation")
    compared = results.document(runs, settings, env, ("baseline", "strict"))
    assert [r.set_name for r in compared.runs] == ["baseline", "strict"]
    assert compared.comparison is not None
    assert compared.comparison.deltas["escaped"].delta == -1
    assert compared.runs[0].by_decision["ADR-1"].escaped == 1
    assert compared.runs[1].by_decision["ADR-1"].caught == 1
    single = results.document(runs[:1], settings, env)
    assert "comparison" not in single.as_json() and "comparison" in compared.as_json()

    results.write_results(tmp_path / "results.json", compared)
    assert results.load(tmp_path) == compared
