"""``charter sim calibrate``: fitted on a journal made by real commits under real hooks,
the parameters reproduce that journal's retry and bypass rates in simulation."""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path

import pytest
from support.agentlab import TRUE, Lab, write_decisions

from charter.hooks import cli
from charter.hooks.errors import CharterError
from charter.simulator import agent_params, calibrate
from charter.simulator.records import AgentParams

pytestmark = pytest.mark.sim


def _cli(*args: str) -> str:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(list(args))
    assert code == 0, stdout.getvalue() + stderr.getvalue()
    return stdout.getvalue()


def test_wilson_and_the_logistic_fit_match_known_values() -> None:
    interval = calibrate.wilson(5, 10)
    assert (interval.low, interval.high) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert calibrate.wilson(0, 0).high == 1.0
    # Without a slope the MLE is the log-odds of the rate (up to the weak ridge).
    ys = [1] * 3 + [0] * 27
    logit, slope = calibrate.logistic([0] * 30, ys, slope=False)
    assert logit.value == pytest.approx(math.log(3 / 27), abs=0.01)
    assert slope.value == 0.0 and logit.low < logit.value < logit.high
    # A rate that rises with x gives a positive slope.
    xs = [x for x in range(6) for _ in range(10)]
    ys = [int(i % 10 < 2 + x) for i, x in enumerate(xs)]
    assert calibrate.logistic(xs, ys, slope=True)[1].value > 0.2


def test_calibrate_without_a_journal_says_how_to_record_one(tmp_path: Path) -> None:
    lab = Lab(tmp_path / "repo", 1)
    lab.setup()
    with pytest.raises(CharterError, match="CHARTER_JOURNAL=1"):
        calibrate.fit(lab.root)


def test_calibrated_parameters_reproduce_the_journals_rates(tmp_path: Path) -> None:
    lab = Lab(tmp_path / "repo", 7)
    lab.setup()
    outcomes = lab.run(40)
    assert {"landed", "bypassed", "abandoned"} <= set(outcomes)
    oracle = tmp_path / "oracle"
    write_decisions(oracle, ("LS-1", "LS-2"))  # LS-3 is the wrong rule
    params_file = tmp_path / "params.json"
    printed = _cli(
        "sim", "calibrate", str(lab.root), "--oracle", str(oracle), "--out", str(params_file)
    )
    assert "repair_remedy" in printed and "Wilson" in printed
    params = agent_params.load(params_file)
    fits = params.intervals
    # The fit recovers the scripted agent's probabilities within its intervals.
    assert fits["repair_remedy"].low <= TRUE.repair_remedy <= fits["repair_remedy"].high
    assert fits["repair_no_remedy"].low <= TRUE.repair_no_remedy <= fits["repair_no_remedy"].high
    assert params.budget == TRUE.budget
    assert fits["bypass_logit"].low <= TRUE.bypass_logit <= fits["bypass_logit"].high
    assert sum(o == "bypassed" for o in outcomes) == round(fits["bypass_rate"].value * 40)

    scenario = tmp_path / "scenario"
    _cli(
        "sim", "import", "journal", "--repo", str(lab.root), "--oracle", str(oracle),
        "--out", str(scenario),
    )  # fmt: skip
    out = tmp_path / "out"
    _cli(
        "sim", "run", "--set", "recorded", str(scenario), "--agent", "reactive",
        "--agent-params", str(params_file), "--epochs", "2", "--sandbox", "local",
        "--hooks", "direct", "--out", str(out), "--quiet",
    )  # fmt: skip
    runs = json.loads((out / "results.json").read_text())["runs"]
    tasks = sum(r["metrics"]["tasks"] for r in runs)
    retries = sum(r["metrics"]["retries"] for r in runs) / tasks
    bypass = sum(r["metrics"]["bypassed"] for r in runs) / tasks
    assert fits["retries_per_task"].low <= retries <= fits["retries_per_task"].high
    assert fits["bypass_rate"].low <= bypass <= fits["bypass_rate"].high


# A live agent with a fixed plan per task: (the file it writes, the content of each try).
# T001: the API imports the database (a block with a remedy), repaired on try 2.
# T002: eval (a block with no remedy, and a wrong one: the oracle does not hold it),
#   resubmitted once, then repaired. T003: the import again, resubmitted, then it gives
#   up. T004: clean, accepted at once.
LIVE_AGENT = """\
import os, pathlib, sys
BAD_API = "from app import db, service\\n\\n\\ndef handler():\\n    return db.query()\\n"
GOOD_API = "from app import service\\n\\n\\ndef handler():\\n    return list(service.rows())\\n"
BAD_SERVICE = "from app import db\\n\\n\\ndef rows():\\n    return eval('db.query()')\\n"
GOOD_SERVICE = "from app import db\\n\\n\\ndef rows():\\n    return list(db.query())\\n"
PLAN = {
    "T001": ("src/app/api.py", [BAD_API, GOOD_API]),
    "T002": ("src/app/service.py", [BAD_SERVICE, None, GOOD_SERVICE]),
    "T003": ("src/app/api.py", [BAD_API, None]),
    "T004": ("src/app/db.py", ["def query():\\n    return [1, 2, 3]\\n"]),
}
path, tries = PLAN[os.environ["CHARTER_TASK_ID"]]
attempt = int(os.environ["CHARTER_ATTEMPT"])
if attempt > len(tries):
    sys.exit(1)  # gives up
if tries[attempt - 1] is not None:  # None: the same change again
    pathlib.Path(path).write_text(tries[attempt - 1])
"""


def test_calibrate_from_a_live_agents_runs_reads_each_try(tmp_path: Path) -> None:
    """``--from-results``: the tries of an ``--agent-cmd`` run under real hooks (the
    hooks' output it saw, the oracle's labels) are the observations of the fit."""
    import sys

    from support.simkit import tiny

    scenario = tiny(tmp_path)
    strict = scenario / "constraints" / "strict" / "0002.md"
    text = strict.read_text().replace(
        "message: Go through app.service.", "message: Go through app.service.\n"
        "    remedy: Call a function of app.service instead."
    )  # fmt: skip
    strict.write_text(text)
    agent = tmp_path / "agent.py"
    agent.write_text(LIVE_AGENT, encoding="utf-8")
    out = tmp_path / "out"
    _cli(
        "sim", "run", "--set", "strict", str(scenario), "--agent-cmd",
        f"{sys.executable} {agent}", "--max-tries", "4", "--sandbox", "local",
        "--hooks", "direct", "--out", str(out), "--quiet",
    )  # fmt: skip
    run = json.loads((out / "results.json").read_text())["runs"][0]
    verdicts = [[a["verdict"] for a in t["attempts"]] for t in run["tasks"]]
    assert verdicts == [
        ["rejected", "accepted"],
        ["rejected", "rejected", "accepted"],
        ["rejected", "rejected"],
        ["accepted"],
    ]
    params_file = tmp_path / "params.json"
    printed = _cli("sim", "calibrate", "--from-results", str(out), "--out", str(params_file))
    assert "4 tasks of live agents, 5 blocks" in printed
    params = agent_params.load(params_file)
    fits = params.intervals
    # With a remedy: T001 repaired, T003 failed once (its last block is a give-up).
    assert (fits["repair_remedy"].value, fits["repair_remedy"].n) == (0.5, 2)
    # Without: T002 failed once, then repaired.
    assert (fits["repair_no_remedy"].value, fits["repair_no_remedy"].n) == (0.5, 2)
    assert params.budget == 3 and (fits["budget"].low, fits["budget"].high) == (2.0, 3.0)
    assert fits["retries_per_task"].value == 1.0  # (1 + 2 + 1 + 0) / 4
    # Bypasses cannot be seen in a live run: the defaults stay, and say so.
    assert "bypass_logit" not in fits and "bypass_rate" not in fits
    assert params.bypass_logit == AgentParams().bypass_logit
    assert "not observable" in params.method

    with pytest.raises(CharterError, match="no run of a live agent"):
        replay = tmp_path / "replay"
        _cli(
            "sim", "run", "--set", "strict", str(scenario), "--sandbox", "local",
            "--hooks", "direct", "--out", str(replay), "--quiet",
        )  # fmt: skip
        calibrate.fit_runs([replay])
