"""The ``charter-sim/1`` results of ``charter sim compare`` and ``run``, byte for byte.

Recorded in ``tests/data/golden/sim/`` before the simulator's records were typed, so a
refactor that changes one byte of the results (timings and the environment aside: they
legitimately vary) fails here. Each shipped scenario is compared on its own (so xdist
spreads them); the tiny scenario covers the repair and bypass policies, the stochastic
agent and several epochs. ``UPDATE_GOLDEN_SIM=1`` rewrites the files: only do that
for a change that is meant to alter the results, and say so in the commit.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest
from support.simkit import tiny

from charter.hooks import cli

pytestmark = pytest.mark.sim

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "data" / "golden" / "sim"
SHIPPED = ("layered-service", "library-policy", "migrations-cochange")
VARIES = ("timings", "environment")


def _simulate(args: list[str], out: Path) -> str:
    """Run ``charter sim`` in process; the results file's text, varying parts removed."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = cli.main(["sim", *args, "--sandbox", "local", "--out", str(out)])
    assert code == 0, stdout.getvalue() + stderr.getvalue()
    text = (out / "results.json").read_text(encoding="utf-8")
    doc = json.loads(text)
    # The file is written in its one canonical form: re-serialising changes nothing.
    assert text == json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=True) + "\n"
    assert set(VARIES) <= set(doc)
    kept = {k: v for k, v in doc.items() if k not in VARIES}
    return json.dumps(kept, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def _check(name: str, text: str) -> None:
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN_SIM") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"results differ from {golden.name}"


@pytest.mark.parametrize("scenario", SHIPPED)
def test_compare_on_a_shipped_scenario_matches_its_golden_results(
    scenario: str, tmp_path: Path
) -> None:
    args = ["compare", "--sets", "baseline", "strict", str(ROOT / "scenarios" / scenario)]
    _check(f"compare-{scenario}", _simulate(args, tmp_path / "out"))


def test_compare_with_repair_on_the_tiny_scenario_matches_its_golden_results(
    tmp_path: Path,
) -> None:
    scenario = tiny(tmp_path)
    args = ["compare", "--sets", "baseline", "strict", str(scenario), "--policy", "repair"]
    _check("compare-tiny-repair", _simulate(args, tmp_path / "out"))


def test_stochastic_bypass_runs_on_the_tiny_scenario_match_their_golden_results(
    tmp_path: Path,
) -> None:
    scenario = tiny(tmp_path)
    args = ["run", "--set", "strict", str(scenario), "--policy", "bypass", "--p-bypass", "0.5"]
    args += ["--iterations", "6", "--epochs", "2", "--seed", "3"]
    _check("run-tiny-stochastic-bypass", _simulate(args, tmp_path / "out"))
