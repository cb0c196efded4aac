"""Dask with the docker sandbox (issue 18): a worker runs its units in its own containers.

A real scheduler and worker on 127.0.0.1 (separate processes) take a shipped scenario
by content digest and replay it in docker sandboxes; the results are those of the local
executor with the same sandbox, file for file (timings aside). Without a Docker engine
this fails (the ``sandbox_image`` fixture), it does not skip.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.dask_cluster import Cluster, running

pytestmark = [pytest.mark.sim, pytest.mark.slow, pytest.mark.docker]

SHIPPED = Path(__file__).resolve().parents[1] / "scenarios" / "library-policy"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with running(tmp_path_factory.mktemp("dask-docker"), workers=1) as started:
        yield started


def _sim(*args: str | Path) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "charter.hooks", "sim", *map(str, args)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=900, env=dict(os.environ))


def _runs(out: Path) -> dict[str, Any]:
    found = {}
    for path in sorted((out / "runs").glob("*.json")):
        data = json.loads(path.read_text())
        data["run"].pop("timings")
        found[path.name] = data
    return found


def _comparable(out: Path) -> dict[str, Any]:
    doc = json.loads((out / "results.json").read_text())
    return {k: v for k, v in doc.items() if k not in ("timings", "environment")}


def test_a_dask_worker_replays_in_docker_sandboxes_as_the_local_executor_does(
    cluster: Cluster, sandbox_image: str, tmp_path: Path
) -> None:
    common = ["compare", "--sets", "baseline", "strict", "--sandbox", "docker",
              "--image", sandbox_image, "--seed", "5", SHIPPED]  # fmt: skip
    local = _sim(*common, "--jobs", "2", "--out", tmp_path / "local")
    assert local.returncode == 0, local.stderr
    remote = _sim(*common, "--executor", cluster.address, "--out", tmp_path / "dask")
    assert remote.returncode == 0, remote.stderr + cluster.log("w0")
    assert f"on {cluster.address}" in remote.stderr
    doc = json.loads((tmp_path / "dask" / "results.json").read_text())
    assert doc["environment"]["sandbox"] == "docker"
    assert all(r["metrics"]["infra_errors"] == 0 for r in doc["runs"])
    assert len(_runs(tmp_path / "dask")) == 2
    assert _runs(tmp_path / "dask") == _runs(tmp_path / "local")
    assert _comparable(tmp_path / "dask") == _comparable(tmp_path / "local")
