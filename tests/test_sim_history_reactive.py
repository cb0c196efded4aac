"""Issue 17's done-when on real history: the reactive agent on 8 commits of
pallets/itsdangerous (examples/history/itsdangerous), with the project's own tests as
each task's success test, gives different retries, landed and solved counts under the
empty set and under ``guarded`` (the strict rules, the guard ``charter learn`` proposed
from the earlier history, and the project's changelog rule), with intervals that are
not zero-width."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from charter.hooks import cli

pytestmark = pytest.mark.sim

SCENARIO = Path(__file__).resolve().parents[1] / "examples" / "history" / "itsdangerous"


def test_reactive_agent_on_real_history_differs_between_sets(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["sim", "compare", "--sets", "none", "guarded", str(SCENARIO), "--agent", "reactive"]
    args += ["--epochs", "2", "--jobs", "2", "--sandbox", "local", "--hooks", "direct"]
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main([*args, "--quiet", "--out", str(out)])
    assert code == 0, stdout.getvalue() + stderr.getvalue()
    doc = json.loads((out / "results.json").read_text())
    assert all(r["infra_errors"] == [] for r in doc["runs"])
    by_set = doc["summary"]["by_set"]
    # With no rule every real commit lands, and the project's tests pass on each one.
    assert by_set["none"]["landed"]["mean"] == 8 and by_set["none"]["solved"]["mean"] == 8
    assert by_set["none"]["retries"]["mean"] == 0
    guarded = by_set["guarded"]
    # The changelog rule blocks the 3 commits that forgot CHANGES.rst; the agent's minimal
    # repair cannot write an entry, so it retries, bypasses or gives up: tasks are lost.
    assert guarded["retries"]["mean"] > 0
    assert guarded["landed"]["mean"] < 8
    assert guarded["solved"]["mean"] < 8
    deltas = doc["comparison"]["deltas"]
    for metric in ("retries", "landed", "solved"):
        assert deltas[metric]["delta"] != 0, metric
        assert deltas[metric]["high"] > deltas[metric]["low"], f"{metric}: zero-width interval"
    guarded_runs = [r["metrics"] for r in doc["runs"] if r["set"] == "guarded"]
    assert guarded_runs[0] != guarded_runs[1], "the two epochs drew the same run"
