"""Units on a real Dask cluster and on the local pool (issue 18).

A scheduler and two workers run on 127.0.0.1 as separate processes (``dask scheduler``,
``dask worker``). ``charter sim compare`` on the shipped scenarios gives through them the
results it gives on the local pool, file for file (timings aside), and ``--resume`` takes
the cluster's runs back on the local executor. A worker killed mid-run has its units run
again elsewhere: the run completes with every unit once. Ctrl-C stops a run on the
cluster and on the local pool, keeps what finished and leaves no sandbox behind.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.dask_cluster import Cluster, running
from support.simkit import tiny

pytestmark = [pytest.mark.sim, pytest.mark.slow]

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
SHIPPED = sorted(str(p.parent) for p in SCENARIOS.glob("*/scenario.yaml"))


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with running(tmp_path_factory.mktemp("dask"), workers=2) as started:
        yield started


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny(tmp_path_factory.mktemp("scenarios"))


def _argv(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "charter.hooks", "sim", *map(str, args)]


def _sim(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _argv(*args), capture_output=True, text=True, timeout=900, env={**os.environ, **(env or {})}
    )


def _bare(run_file: Path) -> dict[str, Any]:
    data = json.loads(run_file.read_text())
    data["run"].pop("timings")
    return dict(data)


def _runs(out: Path) -> dict[str, dict[str, Any]]:
    return {p.name: _bare(p) for p in sorted((out / "runs").glob("*.json"))}


def _comparable(out: Path) -> dict[str, Any]:
    doc = json.loads((out / "results.json").read_text())
    return {k: v for k, v in doc.items() if k not in ("timings", "environment")}


def test_a_dask_cluster_gives_the_local_results(cluster: Cluster, tmp_path: Path) -> None:
    common = ["compare", "--sets", "baseline", "strict", "--sandbox", "local", "--seed", "3",
              "--hooks", "direct", *SHIPPED]  # fmt: skip
    local = _sim(*common, "--jobs", "2", "--out", tmp_path / "local")
    assert local.returncode == 0, local.stderr
    remote = _sim(*common, "--executor", cluster.address, "--out", tmp_path / "dask")
    assert remote.returncode == 0, remote.stderr + cluster.log("w0") + cluster.log("w1")
    assert f"on {cluster.address}" in remote.stderr  # the time summary names the executor
    assert "where the units' time went" in remote.stderr
    assert _runs(tmp_path / "dask") == _runs(tmp_path / "local")
    assert len(_runs(tmp_path / "dask")) == 2 * len(SHIPPED)
    assert _comparable(tmp_path / "dask") == _comparable(tmp_path / "local")
    # --resume across executors: the cluster's runs are taken back, nothing runs again
    again = _sim(*common, "--resume", "--out", tmp_path / "dask")
    assert again.returncode == 0, again.stderr
    assert again.stderr.count(": reused;") == 2 * len(SHIPPED)
    assert "unit(s) run" not in again.stderr
    assert _comparable(tmp_path / "dask") == _comparable(tmp_path / "local")


def _wait_for_runs(out: Path, count: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 300
    while len(list((out / "runs").glob("*.json"))) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no unit finished in time"
        time.sleep(0.2)


def test_a_worker_lost_mid_run_has_its_units_run_elsewhere(scenarios: Path, tmp_path: Path) -> None:
    cluster = Cluster(tmp_path / "dask").start(workers=2)
    try:
        out = tmp_path / "out"
        process = subprocess.Popen(
            _argv("run", "--set", "strict", "--epochs", "8", "--sandbox", "local", "--hooks",
                  "direct", "--executor", cluster.address, "--out", out, scenarios),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        _wait_for_runs(out, 1, process)
        cluster.kill(cluster.workers[0])
        _, stderr = process.communicate(timeout=600)
    finally:
        cluster.stop()
    assert process.returncode == 0, stderr
    doc = json.loads((out / "results.json").read_text())
    units = [(r["scenario"], r["set"], r["epoch"]) for r in doc["runs"]]
    assert sorted(units) == [("tiny", "strict", e) for e in range(8)]
    assert len(list((out / "runs").glob("*.json"))) == 8
    first = {k: v for k, v in doc["runs"][0].items() if k != "epoch"}
    for run in doc["runs"]:
        assert run["infra_errors"] == []
        assert {k: v for k, v in run.items() if k != "epoch"} == first  # each whole


@pytest.mark.parametrize("where", ["dask", "local"])
def test_ctrl_c_stops_the_run_and_keeps_what_finished(
    where: str, request: pytest.FixtureRequest, scenarios: Path, tmp_path: Path
) -> None:
    sandboxes = tmp_path / "sandboxes"
    sandboxes.mkdir()
    if where == "dask":
        executor = ["--executor", request.getfixturevalue("cluster").address]
    else:
        executor = ["--jobs", "2"]
    out = tmp_path / "out"
    args = ["run", "--set", "strict", "--epochs", "6", "--sandbox", "local", "--hooks",
            "direct", *executor, "--out", out, scenarios]  # fmt: skip
    process = subprocess.Popen(
        _argv(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "TMPDIR": str(sandboxes)},
    )  # fmt: skip
    _wait_for_runs(out, 1, process)
    process.send_signal(signal.SIGINT)
    began = time.monotonic()
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert time.monotonic() - began < 60
    assert "interrupted" in stderr and "--resume" in stderr
    kept = len(list((out / "runs").glob("*.json")))
    assert 1 <= kept < 6
    if where == "local":  # the pool's units closed their sandboxes
        assert not list(sandboxes.glob("charter-sim-*"))
    resumed = _sim(*args, "--resume", env={"TMPDIR": str(sandboxes)})
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stderr.count(": reused;") >= kept
    assert len(list((out / "runs").glob("*.json"))) == 6
