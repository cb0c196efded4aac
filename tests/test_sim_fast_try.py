"""The fast try (issue 18): a resident driver per sandbox, and ``--hooks direct``.

``--hooks direct`` calls Charter's hooks without pre-commit; it must judge every try as
the framework does. Under the recorded set, the framework reproduces every recorded
outcome of the shipped scenarios (test_sim_scenarios.py): so must direct mode. Under the
strict set (more rejections, the commit-msg kinds of migrations-cochange), both modes are
replayed and compared try by try. The path before issue 18 (a process per command) is
kept for bench/sim_overhead.py: it must give the same run as the resident driver.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from support.simkit import tiny

from charter.hooks import cli
from charter.simulator import sandbox
from charter.simulator.records import Run
from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.sandbox.local import LocalSandbox
from charter.simulator.scenario import load

pytestmark = pytest.mark.sim

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SHIPPED = {"layered-service": 26, "library-policy": 25, "migrations-cochange": 27}


@pytest.fixture(scope="module")
def tiny_scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny(tmp_path_factory.mktemp("scenarios"))


def _verdicts(run: Run) -> list[tuple[str, int, str]]:
    return [(t.id, a.number, a.verdict) for t in run.tasks for a in t.attempts]


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_direct_hooks_reproduce_every_recorded_outcome(name: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = ["sim", "validate", "--sandbox", "local", "--hooks", "direct", str(SCENARIOS / name)]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    assert code == 0, out.getvalue() + err.getvalue()
    expected = f"{name}: all {SHIPPED[name]} recorded outcomes reproduced under 'baseline'"
    assert expected in out.getvalue()


def test_direct_hooks_judge_like_pre_commit_under_the_strict_set() -> None:
    scenario = load(SCENARIOS / "migrations-cochange")
    backend = sandbox.backend("local")
    runs = {
        hooks: run_unit(scenario, "strict", 0, RunConfig(measure=False, hooks=hooks), backend).run
        for hooks in ("pre-commit", "direct")
    }
    framework, direct = _verdicts(runs["pre-commit"]), _verdicts(runs["direct"])
    assert [v for v in framework if v[2] == "rejected"], "strict rejects some tries"
    assert direct == framework
    assert not runs["direct"].infra_errors and not runs["pre-commit"].infra_errors


def test_the_resident_driver_gives_the_run_a_process_per_command_gives(
    tiny_scenario: Path,
) -> None:
    scenario = load(tiny_scenario)
    runs = []
    for resident in (False, True):
        backend = sandbox.backend(sandbox.Spec("local", resident=resident))
        runs.append(run_unit(scenario, "strict", 0, RunConfig(), backend).run)
    assert runs[0] == runs[1]  # every attempt, verdict, oracle finding and drift point
    assert runs[1].metrics["blocked"] > 0


def test_the_driver_runs_commands_and_charter_and_reports_timeouts(tmp_path: Path) -> None:
    box = LocalSandbox("driver")
    try:
        box.write("tmp/in.txt", b"piped")
        assert box.exec(["cat", "in.txt"], cwd="tmp").stdout == "piped"
        assert box.exec(["cat"], cwd="tmp", stdin="from stdin").stdout == "from stdin"
        assert box.exec(["sh", "-c", "echo err >&2; exit 3"], cwd="tmp").returncode == 3
        slow = box.exec(["sleep", "30"], cwd="tmp", timeout=1)
        assert slow.timed_out and slow.seconds < 10
        helped = box.charter(["check", "--help"], cwd="tmp")
        assert helped.returncode == 0 and "--staged" in helped.stdout
        assert box.charter(["no-such-command"], cwd="tmp").returncode == 2
        again = box.exec(["echo", "still answering"], cwd="tmp")
        assert again.stdout == "still answering\n"
    finally:
        box.close()
    assert not box.root.exists()
