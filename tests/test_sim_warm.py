"""Warm hooks (sandbox/warm.py): pre-commit and Charter's hooks forked from a warm server.

They must judge every try as cold hooks (a new Python per hook) do, hand the call the
client's arguments, directory, environment and streams, pass its exit status back, and
stop the call when the client is killed at its timeout.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from support.simkit import tiny

from charter.simulator import sandbox
from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.sandbox.local import LocalSandbox
from charter.simulator.scenario import load

pytestmark = pytest.mark.sim

HOOK_THAT_HANGS = """\
repos:
  - repo: local
    hooks:
      - id: hang
        name: hang
        entry: sh -c 'echo $$ > ../tmp/hook.pid; exec sleep 60'
        language: system
        pass_filenames: false
        always_run: true
"""


def test_warm_hooks_give_the_run_cold_hooks_give(tmp_path: Path) -> None:
    scenario = load(tiny(tmp_path))
    runs = []
    for warm in (False, True):
        backend = sandbox.backend(sandbox.Spec("local", warm=warm))
        runs.append(run_unit(scenario, "strict", 0, RunConfig(), backend).run)
    assert runs[0] == runs[1]  # every attempt, verdict, oracle finding and drift point
    assert runs[1].metrics["blocked"] > 0 and not runs[1].infra_errors


def test_a_warm_client_runs_its_command_as_a_process_of_its_own() -> None:
    box = LocalSandbox("warm")
    try:
        folder = box.warm_hooks()
        assert folder is not None
        hook = box.exec([f"{folder}/charter", "check", "--help"], cwd="tmp")
        assert hook.returncode == 0 and "--staged" in hook.stdout
        assert box.exec([f"{folder}/charter", "no-such-command"], cwd="tmp").returncode == 2
        # on PATH, as a hook's ``charter`` entry finds it; the environment is the caller's
        where = box.exec(["sh", "-c", "command -v charter"], cwd="tmp").stdout.strip()
        assert where == f"{folder}/charter"
        version = box.exec(["pre-commit", "--version"], cwd="tmp", env={"X": "1"})
        assert version.returncode == 0 and version.stdout.startswith("pre-commit ")
    finally:
        box.close()


def test_a_client_killed_at_its_timeout_takes_its_call_with_it() -> None:
    box = LocalSandbox("warm-timeout")
    try:
        folder = box.warm_hooks()
        box.exec(["git", "init", "-q", "work"], cwd=".")
        box.write("work/.pre-commit-config.yaml", HOOK_THAT_HANGS.encode())
        box.exec(["git", "add", "-A"], cwd="work")
        argv = [f"{folder}/pre-commit", "run", "--all-files"]
        slow = box.exec(argv, cwd="work", timeout=3)
        assert slow.timed_out
        pid = int((box.read("tmp/hook.pid") or b"0").strip())
        assert pid > 0
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(pid), "the hook outlived its killed client"
        after = box.exec([f"{folder}/charter", "--version"], cwd="tmp")
        assert after.returncode == 0, "the server still answers"
    finally:
        box.close()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
