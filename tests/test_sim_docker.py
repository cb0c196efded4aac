"""The docker sandbox against a real engine: hardening, containment, cleanup, parity.

Every test here needs a Docker engine and the base image made by ``.ci/docker-base``
(fixtures in conftest.py): they fail when CI=true and none answers, and skip otherwise.
The sandbox image is built once per session from that base, offline.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from support.repo import DOCKER_BASE
from support.simkit import tiny

from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.sandbox import image as image_mod
from charter.simulator.sandbox.base import InfraError
from charter.simulator.sandbox.docker import (
    LABEL,
    OWNER_LABEL,
    RUN_LABEL,
    DockerBackend,
    DockerSandbox,
    Limits,
)
from charter.simulator.sandbox.local import LocalBackend
from charter.simulator.scenario import load

REPO = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.docker, pytest.mark.sim]


@pytest.fixture
def backend(docker_client: Any, sandbox_image: str) -> DockerBackend:
    limits = Limits(cpus=0.5, memory="256m", pids=64, run_timeout=300)
    return DockerBackend(sandbox_image, limits, session=f"test-{uuid.uuid4().hex[:8]}")


@pytest.fixture
def sandbox(backend: DockerBackend) -> Any:
    box = backend.start("test")
    yield box
    box.close()


def _gone(client: Any, run_id: str) -> bool:
    selector = {"label": f"{RUN_LABEL}={run_id}"}
    return not client.containers.list(all=True, filters=selector) and not client.volumes.list(
        filters=selector
    )


def test_the_container_is_hardened(sandbox: DockerSandbox, docker_client: Any) -> None:
    attrs = docker_client.api.inspect_container(sandbox.container.id)
    host, config = attrs["HostConfig"], attrs["Config"]
    assert host["NetworkMode"] == "none"
    assert config["User"] == "1000:1000"
    assert host["CapDrop"] == ["ALL"] and not host["CapAdd"]
    assert "no-new-privileges" in host["SecurityOpt"]
    assert host["ReadonlyRootfs"] is True and host["Privileged"] is False
    assert host["NanoCpus"] == 500_000_000
    assert host["Memory"] == 256 * 1024**2
    assert host["PidsLimit"] == 64
    assert config["Labels"][LABEL] == "1" and config["Labels"][RUN_LABEL] == sandbox.run_id
    assert config["Labels"][OWNER_LABEL].endswith(f":{os.getpid()}")
    assert host["Binds"] == [f"{sandbox.volume.name}:/sim:rw"] and not host.get("Devices")
    mounts = {m["Destination"]: m for m in attrs["Mounts"]}
    assert set(mounts) == {"/sim"} and mounts["/sim"]["Type"] == "volume"
    assert "docker.sock" not in json.dumps(attrs["Mounts"])
    assert set(host["Tmpfs"]) == {"/tmp"}
    # And from inside: not root, no capability, no new privileges, no network interface.
    status = sandbox.exec(["cat", "/proc/self/status"], cwd="work").stdout
    fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
    assert fields["Uid"].split()[0] == "1000"
    assert int(fields["CapEff"], 16) == 0 and int(fields["CapBnd"], 16) == 0
    assert fields["NoNewPrivs"].strip() == "1"
    devices = sandbox.exec(["cat", "/proc/net/dev"]).stdout
    assert [line.split(":")[0].strip() for line in devices.splitlines()[2:]] == ["lo"]
    volume = sandbox.volume.name
    sandbox.close()
    assert _gone(docker_client, sandbox.run_id)
    assert not docker_client.volumes.list(filters={"name": volume})


def test_files_go_in_and_out_as_the_sandbox_user(sandbox: DockerSandbox, tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n")
    (tmp_path / "link").symlink_to("pkg/a.py")
    sandbox.put_dir(tmp_path, "work/tree")
    sandbox.write("work/deep/er/b.txt", b"bee")
    listing = sandbox.exec(["ls", "-ln", "tree", "tree/pkg", "deep/er"]).stdout
    assert "link -> pkg/a.py" in listing and " 1000 1000 " in listing and " 0 0 " not in listing
    assert sandbox.read("work/tree/pkg/a.py") == b"x = 1\n"
    assert sandbox.read("work/deep/er/b.txt") == b"bee"
    assert sandbox.read("work/nope.txt") is None and sandbox.read("work/tree") is None
    assert sandbox.exec(["cat"], stdin="piped in").stdout == "piped in"
    with pytest.raises(InfraError, match="leaves the sandbox"):
        sandbox.write("../etc/passwd", b"")


def test_hostile_commands_are_contained(sandbox: DockerSandbox) -> None:
    net = "import socket; socket.create_connection(('1.1.1.1', 80), timeout=3)"
    result = sandbox.exec(["python3", "-c", net])
    assert result.returncode != 0 and "unreachable" in result.stderr.lower()
    for target in ("/etc/passwd", "/usr/bin/evil", "/opt/charter/bin/charter", "/sim-x"):
        result = sandbox.exec(["sh", "-c", f"echo x > {target}"])
        assert result.returncode != 0, target
        assert "read-only" in result.stderr.lower() or "denied" in result.stderr.lower()
    assert sandbox.exec(["sh", "-c", "echo ok > /tmp/ok && cat /tmp/ok"]).stdout == "ok\n"

    began = time.perf_counter()
    slept = sandbox.exec(["sleep", "100000"], timeout=2)
    assert slept.timed_out and time.perf_counter() - began < 10

    began = time.perf_counter()
    bomb = sandbox.exec(["sh", "-c", "b() { b | b & }; b; sleep 100000"], timeout=3)
    # Either it hits the pids limit (its shell cannot fork) or its step times out.
    assert bomb.timed_out or "fork" in bomb.stderr.lower()
    assert time.perf_counter() - began < 20
    # Nothing of the bomb survives its step: the sandbox works, with one process running.
    after = sandbox.exec(["sh", "-c", "ls /proc | grep -c '^[0-9]'"])
    assert after.returncode == 0 and int(after.stdout) <= 6

    # A background process does not outlive the step that started it.
    sandbox.exec(["sh", "-c", "sleep 1000 >/dev/null 2>&1 &"])
    assert "sleep" not in sandbox.exec(["sh", "-c", "cat /proc/[0-9]*/comm"]).stdout


def test_the_run_timeout_stops_the_sandbox(backend: DockerBackend, docker_client: Any) -> None:
    short = DockerBackend(backend.image, Limits(run_timeout=4), session=backend.session)
    box = short.start("short")
    try:
        began = time.perf_counter()
        with pytest.raises(InfraError, match="run's time"):
            box.exec(["sleep", "100"], timeout=100)
        assert time.perf_counter() - began < 15
    finally:
        box.close()
    assert _gone(docker_client, box.run_id)


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scenarios")
    tiny(root)
    return root


def _sim(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "charter.hooks", "sim", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


def _comparable(path: Path) -> dict[str, Any]:
    doc = json.loads(path.read_text())
    doc.pop("timings")
    doc.pop("environment")
    for run in doc["runs"]:
        run.pop("timings", None)
    return dict(doc)


def test_same_results_as_local(scenarios: Path, sandbox_image: str, tmp_path: Path) -> None:
    shipped = REPO / "scenarios" / "migrations-cochange"
    out: dict[str, Path] = {}
    for name in ("local", "docker"):
        out[name] = tmp_path / name
        args = ["run", scenarios / "tiny", shipped, "--set", "strict", "--seed", "7"]
        result = _sim(*args, "--sandbox", name, "--image", sandbox_image, "--cpus", "2",
                      "--out", out[name], "--jobs", "2")  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert f"charter sim: sandbox {name} (--sandbox {name})" in result.stderr
    docker_doc = json.loads((out["docker"] / "results.json").read_text())
    assert docker_doc["environment"]["sandbox"] == "docker"
    assert all(r["metrics"]["infra_errors"] == 0 for r in docker_doc["runs"])
    assert _comparable(out["local"] / "results.json") == _comparable(out["docker"] / "results.json")


def test_a_runaway_agent_is_reported_not_a_hang(
    scenarios: Path, sandbox_image: str, docker_client: Any, tmp_path: Path
) -> None:
    name = f"runaway-{uuid.uuid4().hex[:6]}"
    folder = tiny(tmp_path, name)
    agent = "python3 -c 'import socket; socket.create_connection((\"1.1.1.1\", 80), 3)'; " \
        "echo x > /etc/x; b() { b | b & }; b; sleep 100000"  # fmt: skip
    result = _sim("run", folder, "--set", "baseline", "--sandbox", "docker", "--image",
                  sandbox_image, "--agent-cmd", agent, "--run-timeout", "15",
                  "--out", tmp_path / "out")  # fmt: skip
    # An incomplete run is quarantined: named, and the command fails (no --allow-partial).
    assert result.returncode == 1, result.stderr
    assert "1 run(s) did not complete" in result.stderr
    (run,) = json.loads((tmp_path / "out" / "results.json").read_text())["runs"]
    assert run["metrics"]["infra_errors"] >= 1
    assert any("run's time (15 s) is up" in e for e in run["infra_errors"])
    assert not docker_client.containers.list(all=True, filters={"name": f"charter-sim-{name}"})


def test_ctrl_c_removes_the_containers(
    scenarios: Path, sandbox_image: str, docker_client: Any, tmp_path: Path
) -> None:
    name = f"sigint-{uuid.uuid4().hex[:6]}"
    folder = tiny(tmp_path, name)
    command = [sys.executable, "-m", "charter.hooks", "sim", "run", str(folder), "--set",
               "baseline", "--sandbox", "docker", "--image", sandbox_image, "--agent-cmd",
               "sleep 1000", "--out", str(tmp_path / "out")]  # fmt: skip
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    selector = {"name": f"charter-sim-{name}"}
    deadline = time.monotonic() + 60
    while not docker_client.containers.list(all=True, filters=selector):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.2)
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert not docker_client.containers.list(all=True, filters=selector), err
    assert not docker_client.volumes.list(filters={"name": f"charter-sim-{name}"})


def test_cleanup_removes_leftovers_of_dead_processes(
    backend: DockerBackend, docker_client: Any
) -> None:
    # A process that starts a sandbox and dies without closing it leaves it behind.
    code = (
        "import os, sys; from charter.simulator.sandbox.docker import DockerBackend; "
        f"box = DockerBackend({backend.image!r}).start('orphan'); print(box.run_id); "
        "sys.stdout.flush(); os._exit(0)"
    )
    orphan = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    alive = backend.start("alive")
    try:
        assert not _gone(docker_client, orphan)
        result = _sim("cleanup")
        assert result.returncode == 0, result.stderr
        assert "removed" in result.stdout
        assert _gone(docker_client, orphan)
        assert not _gone(docker_client, alive.run_id)  # a running simulation's is kept
        assert alive.exec(["true"]).returncode == 0
    finally:
        alive.close()


def test_a_run_error_still_removes_the_container(
    scenarios: Path, backend: DockerBackend, docker_client: Any
) -> None:
    # A second is too short for the run (setting up alone takes longer), not for starting.
    short = DockerBackend(backend.image, Limits(run_timeout=1), session=backend.session)
    run = run_unit(load(scenarios / "tiny"), "baseline", 0, RunConfig(), short).run
    assert run.infra_errors
    assert not docker_client.containers.list(
        all=True, filters={"label": f"charter.sim.session={backend.session}"}
    )
    local = run_unit(load(scenarios / "tiny"), "baseline", 0, RunConfig(), LocalBackend()).run
    assert local.infra_errors == ()


def test_image_build_reuses_unchanged_inputs(docker_client: Any, sandbox_image: str) -> None:
    again = image_mod.build(docker_client, DOCKER_BASE, also=None, source=REPO)
    assert again.reused and again.tag == sandbox_image
