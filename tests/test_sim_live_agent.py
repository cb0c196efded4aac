"""A live agent's tries (``--agent-cmd``) are kept: diff, hook output, log, wall time, cost."""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path

import pytest
from support.simkit import tiny

from charter.hooks import cli

pytestmark = pytest.mark.sim

AGENT = """\
import json, os, pathlib, sys
if os.environ["CHARTER_TASK_ID"] != "T001":
    sys.exit(1)  # gives up on the other tasks
attempt = os.environ["CHARTER_ATTEMPT"]
pathlib.Path(os.environ["CHARTER_TRAJECTORY"]).write_text(f"thought about try {attempt}\\n")
cost = {"input_tokens": 1200, "output_tokens": 300, "usd": 0.0123, "model": "not a number"}
pathlib.Path(os.environ["CHARTER_COST_FILE"]).write_text(json.dumps(cost))
api = pathlib.Path("src/app/api.py")
if attempt == "1":
    api.write_text("from app import db, service\\n\\n\\ndef handler():\\n    return db.query()\\n")
else:
    api.write_text("from app import service\\n\\n\\ndef handler():\\n    return []\\n")
"""


def test_a_live_agents_tries_keep_what_it_did_saw_and_cost(tmp_path: Path) -> None:
    agent = tmp_path / "agent.py"
    agent.write_text(AGENT, encoding="utf-8")
    scenario = tiny(tmp_path)
    args = ["sim", "run", "--set", "strict", str(scenario), "--sandbox", "local"]
    args += ["--hooks", "direct", "--agent-cmd", f"{sys.executable} {agent}"]
    args += ["--out", str(tmp_path / "out")]
    _charter(args)
    run = json.loads((tmp_path / "out" / "results.json").read_text())["runs"][0]
    first, second = run["tasks"][0]["attempts"]
    assert (first["verdict"], second["verdict"]) == ("rejected", "accepted")
    rejected, accepted = first["agent_trace"], second["agent_trace"]
    assert "+from app import db, service" in rejected["diff"]
    assert "ADR-1" in rejected["hook_output"]  # what the hooks told the agent
    assert "-from app import db, service" not in accepted["diff"]  # the diff from base
    assert "+    return []" in accepted["diff"]
    assert accepted["trajectory"] == "thought about try 2\n"
    assert rejected["cost"] == {"input_tokens": 1200.0, "output_tokens": 300.0, "usd": 0.0123}
    assert rejected["wall_s"] > 0 and rejected["exit_code"] == 0

    # The same run as an Inspect AI evaluation log: one per set, one sample per task.
    export = ["sim", "export", "--format", "inspect", str(tmp_path / "out")]
    _charter([*export, "--out", str(tmp_path / "inspect"), "--scenario", str(scenario)])
    log = json.loads((tmp_path / "inspect" / "strict.json").read_text())
    assert (log["version"], log["status"]) == (2, "success")
    assert (log["eval"]["task"], log["eval"]["model"]) == ("charter-sim/strict", "charter/command")
    sample = log["samples"][0]
    assert (sample["id"], sample["epoch"]) == ("tiny/T001", 1)
    assert sample["input"] == "Let the API reach the data"
    assert sample["scores"]["landed"]["value"] == "C"
    assert sample["scores"]["blocked"]["value"] == 1.0
    assert "thought about try 1" in sample["messages"][1]["content"]
    assert "ADR-1" in sample["messages"][2]["content"]  # the hooks' answer
    assert sample["metadata"]["cost"]["input_tokens"] == 2400.0  # both tries
    (landed,) = [s for s in log["results"]["scores"] if s["name"] == "landed"]
    assert landed["metrics"]["accuracy"]["value"] == 0.25  # T001 of the 4 tasks


def _charter(args: list[str]) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(args)
    assert code == 0, stdout.getvalue() + stderr.getvalue()
