"""The reactive agent, its parameters, the minimal repair and task success (issue 17)."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from support.simkit import tiny

from charter.hooks import cli
from charter.hooks.errors import CharterError
from charter.simulator import agent_params, hunks, results, sandbox, scenario
from charter.simulator.records import AgentParams
from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.report.html import render
from charter.simulator.sandbox.base import ExecResult, Sandbox
from charter.simulator.workspace import Flag, Workspace

ROOT = Path(__file__).resolve().parents[1]

DIFF = """\
diff --git a/src/app/api.py b/src/app/api.py
index 1111111..2222222 100644
--- a/src/app/api.py
+++ b/src/app/api.py
@@ -0,0 +1 @@
+from app import db
@@ -5,0 +7,3 @@ def index():
+
+def feature():
+    return 1
diff --git a/src/app/other.py b/src/app/other.py
index 1111111..2222222 100644
--- a/src/app/other.py
+++ b/src/app/other.py
@@ -2 +2 @@
-x = 1
+x = 2
"""


def test_the_minimal_repair_keeps_only_the_hunk_holding_the_flagged_line() -> None:
    part = hunks.flagged(DIFF, {"src/app/api.py": [1]})
    assert "+from app import db" in part
    assert "def feature" not in part  # the rest of the work stays
    assert "other.py" not in part  # and so does every unflagged file
    assert hunks.flagged(DIFF, {"src/app/api.py": [8]}).count("@@") == 2  # one hunk header
    assert "x = 2" in hunks.flagged(DIFF, {"src/app/other.py": [0]})  # no line: whole file
    assert hunks.flagged(DIFF, {"src/app/missing.py": [1]}) == ""


def test_bypass_grows_with_wrong_blocks_and_repair_with_a_remedy() -> None:
    params = AgentParams()
    assert params.p_bypass(0) < params.p_bypass(2) < params.p_bypass(6)
    assert params.p_repair(True, False) > params.p_repair(False, False)
    assert params.p_repair(False, True) == pytest.approx(0.6)
    assert AgentParams(repair_remedy=0.95, context_bonus=0.2).p_repair(True, True) == 1.0


def test_a_params_file_round_trips_and_a_bad_one_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    agent_params.save(AgentParams(budget=7), path)
    assert agent_params.load(path).budget == 7
    path.write_text(json.dumps({"schema": agent_params.SCHEMA, "budget": 0}), encoding="utf-8")
    with pytest.raises(CharterError, match=r"p\.json: budget: Input should be greater"):
        agent_params.load(path)
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(CharterError, match="not a charter-agent-params/1 document"):
        agent_params.load(path)


def _sim(args: list[str], out: Path) -> tuple[int, str, dict[str, object]]:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(
            ["sim", *args, "--sandbox", "local", "--hooks", "direct", "--out", str(out)]
        )
    text = stdout.getvalue() + stderr.getvalue()
    doc = json.loads((out / "results.json").read_text()) if code == 0 else {}
    return code, text, doc


def test_reactive_options_that_exclude_each_other_are_refused(tmp_path: Path) -> None:
    scenario_dir = tiny(tmp_path)
    args = ["run", "--set", "strict", str(scenario_dir)]
    code, text, _ = _sim([*args, "--agent", "replay", "--agent-params", "x"], tmp_path / "o")
    assert code == 2 and "--agent-params is for the reactive agent" in text
    code, text, _ = _sim([*args, "--agent-params", "x", "--iterations", "3"], tmp_path / "o")
    assert code == 2 and "excludes --iterations" in text  # --agent-params chose reactive
    code, text, _ = _sim([*args, "--agent", "reactive", "--iterations", "3"], tmp_path / "o")
    assert code == 2 and "excludes --iterations" in text


def test_a_task_is_solved_when_its_success_test_passes_after_landing(tmp_path: Path) -> None:
    folder = tiny(tmp_path)
    file = folder / "scenario.yaml"
    text = file.read_text(encoding="utf-8")
    text = text.replace("tasks:\n", "success: {command: test -f src/app/service.py}\ntasks:\n", 1)
    # T004 has its own test, which fails: landed, not solved.
    text = text.replace(
        "- id: T004\n", '- id: T004\n  success: {command: "test $CHARTER_TASK_ID = T001"}\n'
    )
    file.write_text(text, encoding="utf-8")
    assert scenario.load(folder).tasks[3].success is not None
    code, out, doc = _sim(["run", "--set", "baseline", str(folder)], tmp_path / "o")
    assert code == 0, out
    run = doc["runs"][0]  # type: ignore[index]
    solved = {t["id"]: t.get("solved") for t in run["tasks"]}
    assert solved == {"T001": True, "T002": True, "T003": True, "T004": False}
    assert run["metrics"]["landed"] == 4 and run["metrics"]["solved"] == 3
    html = render(results.load(tmp_path / "o"))  # the report's per-task grid shows it
    assert "landed, solved 0/1 (1 tries)" in html and "landed, solved 1/1" in html


def test_a_bad_success_field_is_an_error_with_its_line(tmp_path: Path) -> None:
    folder = tiny(tmp_path)
    file = folder / "scenario.yaml"
    text = file.read_text(encoding="utf-8").replace("tasks:\n", "success: {cmd: x}\ntasks:\n", 1)
    file.write_text(text, encoding="utf-8")
    line = text.splitlines().index("success: {cmd: x}") + 1
    with pytest.raises(CharterError, match=rf"scenario.yaml:{line}: success.cmd: unknown field"):
        scenario.load(folder)


def test_reactive_sets_differ_in_retries_landed_and_solved_and_seeds_vary(tmp_path: Path) -> None:
    """Issue 17's done-when on the shipped scenarios: the sets' retries, landed and solved
    counts differ, and the intervals are not zero-width because the agent is random."""
    scenarios = [str(ROOT / "scenarios" / s) for s in ("layered-service", "migrations-cochange")]
    args = ["compare", "--sets", "baseline", "strict", *scenarios, "--agent", "reactive"]
    code, out, doc = _sim([*args, "--epochs", "2", "--jobs", "2"], tmp_path / "o")
    assert code == 0, out
    by_set = doc["summary"]["by_set"]  # type: ignore[index]
    for metric in ("retries", "landed", "solved"):
        assert by_set["baseline"][metric]["mean"] != by_set["strict"][metric]["mean"], metric
    runs = doc["runs"]  # type: ignore[index]
    epochs: dict[tuple[str, str], list[dict[str, int]]] = {}
    for run in runs:
        epochs.setdefault((run["scenario"], run["set"]), []).append(run["metrics"])
    assert any(a != b for a, b in epochs.values()), "two epochs drew the same run everywhere"
    assert all(r["config"]["agent"] == "reactive" for r in runs)
    assert runs[0]["config"]["agent_params"]["budget"] == AgentParams().budget
    retries = doc["comparison"]["deltas"]["retries"]  # type: ignore[index]
    assert retries["high"] > retries["low"]
    solved_strict = by_set["strict"]["solved"]["mean"]
    assert (
        solved_strict <= by_set["strict"]["landed"]["mean"] + by_set["strict"]["bypassed"]["mean"]
    )


def test_a_blocked_try_asks_the_set_once_for_attribution_and_the_agent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: the set's findings on a blocked try are read once (``check --staged
    --format json``), for the attribution and for the reactive agent that reads them."""
    asked = {"set": 0, "flags": 0}
    read_flags = Workspace.set_flags

    def counted(ws: Workspace, message: str) -> tuple[Flag, ...]:
        asked["flags"] += 1
        return read_flags(ws, message)

    monkeypatch.setattr(Workspace, "set_flags", counted)
    backend = sandbox.backend("local")
    start = backend.start

    def started(label: str) -> Sandbox:
        box = start(label)
        run_charter = box.charter

        def charter(argv: Sequence[str], **kwargs: Any) -> ExecResult:
            if list(argv[:2]) == ["check", "--staged"] and "--decisions" not in argv:
                asked["set"] += "json" in argv  # the hooks' own call in direct mode is text
            return run_charter(argv, **kwargs)

        box.charter = charter  # type: ignore[method-assign]
        return box

    monkeypatch.setattr(backend, "start", started)
    config = RunConfig(reactive=True, hooks="direct")
    run = run_unit(scenario.load(tiny(tmp_path)), "strict", 0, config, backend).run
    rejected = sum(a.verdict == "rejected" for t in run.tasks for a in t.attempts)
    assert not run.infra_errors
    assert asked["flags"] >= 1, "the agent read the set's findings"
    assert rejected >= 2 and asked["set"] == rejected
