"""Replays with real git, pre-commit and Charter's hooks in the local sandbox.

The tiny scenario (tests/support/simkit.py) is replayed under several constraint sets and
policies; the numbers asserted are the ones its docstring predicts.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.simkit import frozen, tiny

from charter.hooks import cli
from charter.simulator import results
from charter.simulator.policies import Policy
from charter.simulator.records import Run, TimedRun
from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.sandbox.local import LocalBackend
from charter.simulator.scenario import load

pytestmark = pytest.mark.sim


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scenarios")
    tiny(root)
    tiny(root, "tiny-independent", mode="independent")
    frozen(root)
    return root


@pytest.fixture(scope="module")
def strict(scenarios: Path) -> Run:
    return _run(scenarios / "tiny", "strict")


def _timed(folder: Path, set_name: str, **config: Any) -> TimedRun:
    return run_unit(load(folder), set_name, 0, RunConfig(**config), LocalBackend())


def _run(folder: Path, set_name: str, **config: Any) -> Run:
    return _timed(folder, set_name, **config).run


def _outcomes(run: Run) -> dict[str, str]:
    return {t.id: t.outcome for t in run.tasks}


def _verdicts(run: Run, task: str) -> list[str]:
    (record,) = [t for t in run.tasks if t.id == task]
    return [a.verdict for a in record.attempts]


def test_strict_blocks_what_baseline_lets_through(scenarios: Path, strict: Run) -> None:
    baseline = _run(scenarios / "tiny", "baseline")
    assert baseline.infra_errors == ()
    assert _outcomes(baseline) == dict.fromkeys(("T001", "T002", "T003", "T004"), "landed")
    assert _verdicts(baseline, "T002") == ["rejected", "accepted"]
    assert baseline.metrics == {
        "tasks": 4, "landed": 4, "solved": 0, "abandoned": 0, "bypassed": 0, "diverged": 0,
        "task_errors": 0, "tries": 5, "retries": 1, "divergences": 0, "blocked": 1,
        "true_blocks": 0, "false_blocks": 1, "escaped": 2, "introduced_violations": 2,
        "caught_violations": 0, "escaped_violations": 2, "final_violations": 2,
        "governance_blocks": 0, "final_cycle_edges": 0, "final_layer_breaking_edges": 0,
        "final_unit_edges": 4, "infra_errors": 0,  # and api -> db, api_v2 -> db
    }  # fmt: skip
    final = baseline.drift[-1]
    assert final.by_decision == {"ADR-1": 2} and final.task == "T004"
    assert [p.iteration for p in baseline.drift] == [0, 1, 2, 3, 4]

    assert _outcomes(strict) == {
        "T001": "abandoned", "T002": "landed", "T003": "diverged", "T004": "abandoned"
    }  # fmt: skip
    (t001,) = [t for t in strict.tasks if t.id == "T001"]
    assert t001.attempts[0].oracle[0].decision == "ADR-1"
    assert t001.policy_action == "abandon"
    assert strict.metrics == {
        "tasks": 4, "landed": 1, "solved": 0, "abandoned": 2, "bypassed": 0, "diverged": 1,
        "task_errors": 0, "tries": 4, "retries": 1, "divergences": 1, "blocked": 3,
        "true_blocks": 2, "false_blocks": 1, "escaped": 0, "introduced_violations": 2,
        "caught_violations": 2, "escaped_violations": 0, "final_violations": 0,
        "governance_blocks": 0, "final_cycle_edges": 0, "final_layer_breaking_edges": 0,
        "final_unit_edges": 2, "infra_errors": 0,  # service -> db, api -> service
    }  # fmt: skip


def test_the_oracle_judges_protected_files_with_the_commit_msg_hook(scenarios: Path) -> None:
    baseline = _run(scenarios / "frozen", "baseline")
    assert baseline.infra_errors == ()
    assert [_verdicts(baseline, t) for t in ("T001", "T002", "T003")] == [
        ["accepted"],
        ["rejected"],
        ["accepted"],
    ]
    t001, t002, t003 = (t.attempts[0] for t in baseline.tasks)
    assert [(v.decision, v.kind, v.path) for v in t001.oracle] == [
        ("MIG-1", "protected", "migrations/0001_init.py")
    ]
    assert t001.escaped
    # The waiver weakens governance under the set under test: the oracle does not
    # count that (nor anything about its own folder inside .git) as a true violation,
    # and the block is governance's, counted apart from false blocks.
    assert t002.oracle == () and not t002.false_block
    assert {v.kind for v in t002.blocked_by} == {"governance"}
    assert t003.oracle == () and not t003.escaped
    m = baseline.metrics
    assert (m["escaped_violations"], m["false_blocks"], m["true_blocks"]) == (1, 0, 0)
    assert m["governance_blocks"] == 1

    strict = _run(scenarios / "frozen", "strict")
    assert _outcomes(strict) == {"T001": "abandoned", "T002": "abandoned", "T003": "landed"}
    m = strict.metrics
    assert (m["escaped_violations"], m["caught_violations"], m["true_blocks"]) == (0, 1, 1)


def test_divergence_is_recorded_not_dropped(strict: Run) -> None:
    (t003,) = [t for t in strict.tasks if t.id == "T003"]
    assert t003.outcome == "diverged"
    assert [a.as_json() for a in t003.attempts] == [
        {
            "try": 1, "source": "recorded:1", "patch": "tasks/T003/1.diff",
            "recorded_outcome": "accepted", "applied": "diverged", "verdict": "diverged",
            "blocked": False, "landed": False, "oracle": [], "escaped": False,
            "false_block": False, "blocked_by": [],
        }
    ]  # fmt: skip


def test_with_no_constraint_everything_introduced_escapes(scenarios: Path) -> None:
    run = _run(scenarios / "tiny", "empty")
    m = run.metrics
    assert m["blocked"] == 0 and m["landed"] == 4
    assert m["escaped_violations"] == m["introduced_violations"] == 2


def test_bypass_policy_commits_with_no_verify(scenarios: Path) -> None:
    run = _run(scenarios / "tiny", "strict", policy=Policy("bypass", p_bypass=1.0))
    assert _outcomes(run) == {
        "T001": "bypassed", "T002": "landed", "T003": "landed", "T004": "bypassed"
    }  # fmt: skip
    assert _verdicts(run, "T001") == ["rejected", "bypassed"]
    m = run.metrics
    assert (m["bypassed"], m["escaped"], m["tries"], m["final_violations"]) == (2, 2, 7, 2)


def test_repair_policy_drops_the_flagged_files_and_counts_the_try(scenarios: Path) -> None:
    run = _run(scenarios / "tiny", "strict", policy=Policy("repair", p_repair=1.0))
    outcomes = _outcomes(run)
    # T001 only touches the flagged file: nothing is left to commit.
    assert outcomes["T001"] == "abandoned"
    assert outcomes["T004"] == "landed"
    (t004,) = [t for t in run.tasks if t.id == "T004"]
    assert [a.source for a in t004.attempts] == ["recorded:1", "repair:drop"]
    assert t004.attempts[1].oracle == () and t004.policy_action == "repair"
    assert run.metrics["final_violations"] == 0


def test_policies_draw_with_their_probability() -> None:
    rng = random.Random(1)
    assert {Policy("bypass", p_bypass=0.0).decide(rng) for _ in range(50)} == {"abandon"}
    draws = [Policy("repair", p_repair=0.5).decide(rng) for _ in range(400)]
    assert 150 < draws.count("repair") < 250 and set(draws) == {"repair", "abandon"}
    assert Policy("abandon").decide(rng) == "abandon"


def test_independent_mode_starts_every_task_from_the_base(scenarios: Path) -> None:
    run = _run(scenarios / "tiny-independent", "strict")
    assert run.mode == "independent"
    # T003 no longer depends on T001: it applies, and is blocked on its own import.
    assert _verdicts(run, "T003") == ["rejected"]
    assert run.metrics["divergences"] == 0


def test_same_seed_same_results(scenarios: Path, tmp_path: Path) -> None:
    first = _timed(scenarios / "tiny-independent", "baseline", seed=7, iterations=3)
    second = _timed(scenarios / "tiny-independent", "baseline", seed=7, iterations=3)
    assert len(first.run.tasks) == 3
    assert first.timings != second.timings
    assert first.run == second.run
    assert first.run.config.agent == "stochastic"


FAKE_AGENT = """\
import os, pathlib, sys
if os.environ["CHARTER_TASK_ID"] != "T001":
    sys.exit(1)  # gives up on the other tasks
api = pathlib.Path("src/app/api.py")
if os.environ["CHARTER_ATTEMPT"] == "1":
    assert os.environ["CHARTER_TASK_PROMPT"] == "Let the API reach the data"
    context = pathlib.Path(os.environ["CHARTER_CONTEXT_FILE"]).read_text()
    assert "ADR-1" in context, context  # charter context: the decisions for the task
    api.write_text("from app import db, service\\n\\n\\ndef handler():\\n    return db.query()\\n")
else:
    feedback = pathlib.Path(os.environ["CHARTER_FEEDBACK_FILE"]).read_text()
    assert "ADR-1" in feedback, feedback
    api.write_text("from app import service\\n\\n\\ndef handler():\\n    return []\\n")
"""


def test_agent_command_edits_and_the_simulator_commits(scenarios: Path, tmp_path: Path) -> None:
    agent = tmp_path / "agent.py"
    agent.write_text(FAKE_AGENT)
    run = _run(scenarios / "tiny", "strict", agent_cmd=f"{sys.executable} {agent}")
    assert run.config.agent == "command"
    (t001, *others) = run.tasks
    assert t001.outcome == "landed"
    assert [(a.source, a.verdict, len(a.oracle)) for a in t001.attempts] == [
        ("agent", "rejected", 1),
        ("agent", "accepted", 0),
    ]
    assert {t.outcome for t in others} == {"abandoned"} and others[0].attempts == ()


def _sim(*args: str | Path) -> tuple[int, str, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["sim", *(str(a) for a in args)])
    return code, out.getvalue(), err.getvalue()


def test_jobs_and_resume_give_the_same_results(scenarios: Path, tmp_path: Path) -> None:
    common = ("run", scenarios / "tiny", "--set", "baseline", "--epochs", "2")
    code, _, err = _sim(*common, "--jobs", "2", "--out", tmp_path / "a")
    assert code == 0, err
    assert "without isolation" in err
    assert "[2/2] tiny / baseline" in err
    code, _, err = _sim(*common, "--out", tmp_path / "b")
    assert code == 0, err
    a = results.load(tmp_path / "a")
    b = results.load(tmp_path / "b" / "results.json")
    assert a.schema_ == "charter-sim/1" and len(a.runs) == 2
    assert results.comparable(a) == results.comparable(b)

    runs = sorted((tmp_path / "b" / "runs").iterdir())
    stamps = [p.stat().st_mtime_ns for p in runs]
    code, _, err = _sim(*common, "--out", tmp_path / "b", "--resume")
    assert code == 0 and err.count(": reused;") == 2, err
    assert [p.stat().st_mtime_ns for p in runs] == stamps
    assert results.comparable(results.load(tmp_path / "b")) == results.comparable(b)


def test_the_test_run_hands_ctrl_c_to_python() -> None:
    # No plugin's native handler beneath Python's (pyproject: -p no:tach): a Ctrl-C
    # reaches the run, and the tests below that signal themselves see it.
    caught = False
    try:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.5)  # Python's handler runs before this returns, if it got the signal
    except KeyboardInterrupt:
        caught = True
    assert caught


def test_ctrl_c_while_a_unit_is_written_stops_after_the_file_is_whole(
    scenarios: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_run = results.write_run

    def interrupted(*args: Any) -> Path:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C lands as the first unit is written
        return write_run(*args)

    monkeypatch.setattr(results, "write_run", interrupted)
    # Python's own handler, as in `charter sim` (a test runner may have put its own below)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    out = tmp_path / "out"
    try:
        code, _, err = _sim("run", scenarios / "tiny", "--set", "baseline", "--epochs", "3",
                            "--out", out)  # fmt: skip
    finally:
        signal.signal(signal.SIGINT, previous)
    assert code == 130, err
    assert "interrupted; 1 of 3 unit(s) finished" in err and "internal error" not in err
    (kept,) = (out / "runs").iterdir()
    assert json.loads(kept.read_text())["run"]["epoch"] == 0


def test_ctrl_c_while_the_report_is_written_stops_after_it_is_whole(
    scenarios: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from charter.simulator.commands import run

    write_html = run.write_html

    def interrupted(*args: Any) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C lands as the page is written
        write_html(*args)

    monkeypatch.setattr(run, "write_html", interrupted)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    page = tmp_path / "report.html"
    try:
        code, out, err = _sim("compare", scenarios / "tiny", "--sets", "baseline", "strict",
                              "--out", tmp_path / "out", "--html", page)  # fmt: skip
    finally:
        signal.signal(signal.SIGINT, previous)
    assert code == 130, err
    assert "charter: interrupted" in err and "internal error" not in err
    assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert f"report: {page}" in out


def test_a_simulation_run_on_another_thread_leaves_ctrl_c_alone() -> None:
    # Charter used as a library, off the main thread: no handler can be set there.
    import threading

    from charter.simulator import interrupts

    before, errors = signal.getsignal(signal.SIGINT), []

    def run() -> None:
        try:
            with interrupts.stoppable(), interrupts.deferred():
                pass
        except Exception as exc:  # the assertion below names it
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert errors == [] and signal.getsignal(signal.SIGINT) is before


def test_validate_flags_an_outcome_it_does_not_reproduce(scenarios: Path, tmp_path: Path) -> None:
    code, out, _ = _sim("validate", scenarios / "tiny")
    assert code == 0 and "all 5 recorded outcomes reproduced under 'baseline'" in out
    wrong = Path(shutil.copytree(scenarios / "tiny", tmp_path / "tiny"))
    data = yaml.safe_load((wrong / "scenario.yaml").read_text())
    data["tasks"][1]["attempts"][0]["outcome"] = "accepted"
    (wrong / "scenario.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    code, output, _ = _sim("validate", wrong)
    assert code == 1
    assert (
        "T002 attempt 1 (tasks/T002/1.diff): recorded accepted, replayed rejected by the hooks"
        in output
    )


def test_sandbox_choice_without_a_docker_engine(
    scenarios: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    code, _, err = _sim(
        "run", scenarios / "tiny", "--set", "baseline", "--sandbox", "docker", "--out", tmp_path
    )
    assert code == 2 and "no Docker engine answers at unix://" in err
    assert "use --sandbox local" in err
    monkeypatch.delenv("CHARTER_SIM_SANDBOX")
    code, _, err = _sim("run", scenarios / "tiny", "--set", "empty", "--out", tmp_path / "auto")
    assert code == 0 and "charter sim: sandbox local (auto: no Docker engine answers)" in err
    code, _, err = _sim("run", scenarios / "tiny", "--set", "nope", "--out", tmp_path)
    assert code == 2 and "has no constraint set 'nope'" in err
    assert not (tmp_path / "results.json").exists()
    assert json.loads("[]") == []


def test_a_broken_hook_is_an_infra_error_not_a_block(scenarios: Path, tmp_path: Path) -> None:
    broken = Path(shutil.copytree(scenarios / "tiny", tmp_path / "tiny"))
    (broken / "constraints/empty/0001-broken.md").write_text("---\nid: X\nstatus: acceptd\n---\n")
    run = _run(broken, "empty")
    m = run.metrics
    assert m["blocked"] == 0 and m["infra_errors"] >= 1
    assert "exit code 2 (an error, not a verdict)" in run.infra_errors[0]
    assert {t.outcome for t in run.tasks} <= {"error", "diverged"}
