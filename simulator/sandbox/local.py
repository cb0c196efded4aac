"""The ``local`` sandbox: a temporary folder and plain subprocesses.

It does NOT isolate: replayed patches and the commands they trigger (git hooks, an
``--agent-cmd``) run as the current user, with the host's file system and network. It is
for fast runs of trusted scenarios and machines without Docker. Every command runs in a
process group of its own, killed as a group when its timeout expires.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from charter.simulator.sandbox.base import Command, ExecResult, InfraError, Sandbox, sandbox_env
from charter.simulator.sandbox.endpoint import Endpoint, env_value
from charter.simulator.sandbox.resident import Resident, command

T = TypeVar("T")
NOTICE = (
    "sandbox local: replayed commands run as you, on this machine, without isolation "
    "(use only scenarios and agent commands you trust)"
)


def _base_env(root: Path) -> dict[str, str]:
    """A small, predictable environment: no user git config, no CHARTER_* settings."""
    bindir = str(Path(sys.executable).parent)
    keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "TZ", "TMPDIR")}
    path = os.pathsep.join([bindir, os.environ.get("PATH", os.defpath)])
    return {**keep, "PATH": path, **sandbox_env(str(root / "home"))}


class _Pipes:
    """The resident driver's channel: its stdin and stdout pipes."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        assert process.stdin is not None and process.stdout is not None
        self.stdin, self.stdout = process.stdin, process.stdout

    def send(self, data: bytes) -> None:
        self.stdin.write(data)
        self.stdin.flush()

    def receive(self) -> bytes | None:
        return os.read(self.stdout.fileno(), 1 << 16) or None

    def fileno(self) -> int:
        return self.stdout.fileno()

    def kill(self) -> None:
        _kill_group(self.process)


class LocalSandbox(Sandbox):
    """A sandbox rooted in a temporary folder of the host (no isolation).

    ``resident``: commands go to one long-lived driver process (resident.py), and
    ``charter`` commands run inside it; otherwise each command is a process of its own.
    """

    name = "local"
    isolates = False

    def __init__(
        self,
        label: str,
        resident: bool = True,
        warm: bool = True,
        endpoints: tuple[Endpoint, ...] = (),
    ) -> None:
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in label)[:60]
        self.root = Path(tempfile.mkdtemp(prefix=f"charter-sim-{safe}-"))
        (self.root / "home").mkdir()
        (self.root / "tmp").mkdir()
        # No isolation: every endpoint is reachable; the agent is only told its model's.
        self._env = {**_base_env(self.root), **env_value(endpoints, isolated=False)}
        self.resident = resident
        self.warm = warm and resident
        self._driver: Resident | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def _resident(self) -> Resident:
        if self._driver is None:
            with (self.root / "driver.log").open("wb") as log:
                try:
                    self._process = subprocess.Popen(
                        command(sys.executable, sweep=False),
                        cwd=self.root,
                        env=self._env,
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=log,
                        start_new_session=True,
                    )
                except OSError as exc:
                    raise InfraError(f"cannot start the sandbox's driver: {exc}") from exc
            self._driver = Resident(_Pipes(self._process), "local sandbox's driver")
        return self._driver

    def _host(self, rel: str) -> Path:
        path = (self.root / rel).resolve()
        if path != self.root.resolve() and self.root.resolve() not in path.parents:
            raise InfraError(f"sandbox path {rel!r} leaves the sandbox")
        return path

    def path(self, rel: str) -> str:
        return str(self.root / rel)

    def put_dir(self, source: Path, dest: str) -> None:
        target = self._host(dest)
        try:
            shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)
        except OSError as exc:
            raise InfraError(f"cannot copy {source} into the sandbox: {exc}") from exc

    def write(self, dest: str, data: bytes) -> None:
        target = self._host(dest)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def read(self, rel: str) -> bytes | None:
        target = self._host(rel)
        return target.read_bytes() if target.is_file() else None

    def _cwd(self, rel: str) -> str:
        return str(self._host(rel))

    def _driven(self, call: Callable[[Resident], T], what: str) -> T:
        return call(self._resident())

    def _alone(self, command: Command) -> ExecResult:
        argv, stdin = command.argv, command.stdin
        start = time.perf_counter()
        try:
            process = subprocess.Popen(
                list(argv),
                cwd=self._host(command.cwd),
                env=dict(command.env),
                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                errors="replace",
                start_new_session=True,  # its own process group, killed as one
            )
        except OSError as exc:
            raise InfraError(f"cannot run {argv[0]!r} in the sandbox: {exc}") from exc
        try:
            out, err = process.communicate(stdin, timeout=command.timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            out, err = process.communicate()
            return ExecResult(-9, out, err, time.perf_counter() - start, timed_out=True)
        return ExecResult(process.returncode, out, err, time.perf_counter() - start)

    def close(self) -> None:
        try:  # the folder goes even when Ctrl-C interrupts the driver's ending
            if self._process is not None:
                process, self._process, self._driver = self._process, None, None
                _stop(process)
        finally:
            _remove(self.root)


def _remove(root: Path) -> None:
    """Remove the sandbox folder; again, briefly, while a hook process the driver's end
    has just signalled may still write into it (its last git lock file, say)."""
    for _ in range(10):
        shutil.rmtree(root, ignore_errors=True)
        if not root.exists():
            return
        time.sleep(0.1)


def _kill_group(process: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End the driver and the command it runs (SIGTERM: it kills that command's group,
    which lives in a session of its own, and leaves); killed if it does not at once."""
    with contextlib.suppress(OSError):
        if process.stdin is not None:
            process.stdin.close()
    with contextlib.suppress(OSError):
        process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if process.stdout is not None:
        process.stdout.close()


class LocalBackend:
    name = "local"
    isolates = False
    notice = NOTICE

    def __init__(
        self, resident: bool = True, warm: bool = True, endpoints: tuple[Endpoint, ...] = ()
    ) -> None:
        self.resident = resident
        self.warm = warm
        self.endpoints = endpoints

    def start(self, label: str) -> LocalSandbox:
        try:
            return LocalSandbox(label, self.resident, self.warm, self.endpoints)
        except OSError as exc:
            raise InfraError(f"cannot create a local sandbox: {exc}") from exc
