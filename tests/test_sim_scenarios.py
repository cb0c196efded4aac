"""The shipped scenarios (scenarios/) replay for real: every recorded outcome reproduces.

One test per scenario, so pytest-xdist replays them in parallel. migrations-cochange
needs the commit-msg hook (protected, co-change) for nine of its rejections.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from charter.hooks import cli

pytestmark = pytest.mark.sim

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SHIPPED = {"layered-service": 26, "library-policy": 25, "migrations-cochange": 27}


def test_every_shipped_scenario_is_tested() -> None:
    assert sorted(p.parent.name for p in SCENARIOS.glob("*/scenario.yaml")) == sorted(SHIPPED)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_scenario_reproduces_every_recorded_outcome(name: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["sim", "validate", "--sandbox", "local", str(SCENARIOS / name)])
    assert code == 0, out.getvalue() + err.getvalue()
    expected = f"{name}: all {SHIPPED[name]} recorded outcomes reproduced under 'baseline'"
    assert expected in out.getvalue()
