"""``charter sim loop``: the nightly learning loop against the same set without it.

On ``tiny`` under ``baseline`` (which bans eval but misses the layering), T001 lets an
``app.api -> app.db`` import escape (the oracle's ADR-1 flags it). With ``--learn-every
1`` the loop adopts ADR-1 after T001, so T004's new ``app.api_v2 -> app.db`` import is
blocked, while the run without learning lands it: one bad edge less at the end.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.repo import Charter
from support.simkit import tiny

pytestmark = pytest.mark.sim


def test_the_loop_adopts_the_escaped_rule_and_drifts_less(tmp_path: Path, charter: Charter) -> None:
    scenario = tiny(tmp_path / "scenarios")
    out, page = tmp_path / "out", tmp_path / "report.html"
    code, stdout, err = charter(
        "sim", "loop", "--set", "baseline", "--learn-every", "1", "--sandbox", "local",
        "--quiet", "--out", out, "--html", page, scenario,
    )  # fmt: skip
    assert code == 0, err
    data = json.loads((out / "results.json").read_text())
    runs = {run["set"]: run for run in data["runs"]}
    assert sorted(runs) == ["baseline", "baseline+learning"]
    plain, learning = runs["baseline"], runs["baseline+learning"]
    assert "learned" not in plain and plain["config"].get("learn_every") is None
    assert learning["config"]["learn_every"] == 1
    assert [(r["decision"], r["after_task"]) for r in learning["learned"]] == [("ADR-1", "T001")]
    outcome = {run["set"]: [t["outcome"] for t in run["tasks"]] for run in data["runs"]}
    assert outcome["baseline"][3] == "landed"
    assert outcome["baseline+learning"][3] != "landed"
    blocked = learning["tasks"][3]["attempts"][0]["blocked_by"]
    assert {v["decision"] for v in blocked} == {"ADR-1"}
    final = {s: runs[s]["drift"][-1]["by_decision"].get("ADR-1", 0) for s in runs}
    assert final["baseline+learning"] == final["baseline"] - 1
    assert data["comparison"]["a"] == "baseline" and data["comparison"]["b"] == "baseline+learning"
    assert "baseline+learning blocks" in stdout  # the headline names the loop as B
    html = page.read_text()
    drift = html[html.index('<h2 id="drift">Drift') :]
    assert "<svg" in drift and "baseline+learning" in drift


def test_learn_from_results_proposes_the_oracle_rule_that_escaped(
    tmp_path: Path, charter: Charter
) -> None:
    scenario = tiny(tmp_path / "scenarios")
    out = tmp_path / "out"
    args = ("--set", "baseline", "--sandbox", "local", "--quiet", "--out", out, scenario)
    assert charter("sim", "run", *args)[0] == 0
    learned = tmp_path / "learned"
    code, stdout, err = charter(
        "learn", "--from-results", out / "results.json", "--oracle",
        scenario / "constraints" / "oracle", "--out", learned, "--from-history", scenario,
    )  # fmt: skip
    assert code == 2 and "--from-history needs --range" in err
    code, stdout, err = charter(
        "learn", "--from-results", out / "results.json", "--oracle",
        scenario / "constraints" / "oracle", "--out", learned,
    )  # fmt: skip
    assert code == 0, err
    assert stdout.splitlines() == [
        "forbid-import: Adopt the oracle's ADR-1/1: The API never touches the database -- "
        "not back-tested"
    ]
    record = next(learned.glob("*-adopt-adr-1-1.md")).read_text()
    assert "status: proposed" in record and "kind: forbid-import" in record
    # Under baseline, T001's api -> db and T004's api_v2 -> db landed (tiny's docstring).
    assert "2 escaped tries:" in record
    assert "task T001 try 1 landed `app.db` in src/app/api.py" in record
    assert "task T004 try 1 landed `app.db` in src/app/api_v2.py" in record
