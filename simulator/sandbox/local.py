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
from collections.abc import Mapping, Sequence
from pathlib import Path

from charter.simulator.sandbox.base import ExecResult, InfraError

NOTICE = (
    "sandbox local: replayed commands run as you, on this machine, without isolation "
    "(use only scenarios and agent commands you trust)"
)


def _base_env(root: Path) -> dict[str, str]:
    """A small, predictable environment: no user git config, no CHARTER_* settings."""
    bindir = str(Path(sys.executable).parent)
    keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "TZ", "TMPDIR")}
    return {
        **keep,
        "PATH": os.pathsep.join([bindir, os.environ.get("PATH", os.defpath)]),
        "HOME": str(root / "home"),
        "PRE_COMMIT_HOME": str(root / "home" / ".cache" / "pre-commit"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(root / "home" / ".gitconfig"),
        "GIT_AUTHOR_NAME": "charter-sim",
        "GIT_AUTHOR_EMAIL": "sim@charter.invalid",
        "GIT_COMMITTER_NAME": "charter-sim",
        "GIT_COMMITTER_EMAIL": "sim@charter.invalid",
        "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00",
        "PYTHONDONTWRITEBYTECODE": "1",
        "NO_COLOR": "1",
        "TERM": "dumb",
    }


class LocalSandbox:
    """A sandbox rooted in a temporary folder of the host (no isolation)."""

    name = "local"
    isolates = False

    def __init__(self, label: str) -> None:
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in label)[:60]
        self.root = Path(tempfile.mkdtemp(prefix=f"charter-sim-{safe}-"))
        (self.root / "home").mkdir()
        (self.root / "tmp").mkdir()
        self._env = _base_env(self.root)

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

    def exec(
        self,
        argv: Sequence[str],
        *,
        cwd: str = "work",
        env: Mapping[str, str] | None = None,
        timeout: float = 120.0,
        stdin: str | None = None,
    ) -> ExecResult:
        start = time.perf_counter()
        try:
            process = subprocess.Popen(
                list(argv),
                cwd=self._host(cwd),
                env={**self._env, **(env or {})},
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
            out, err = process.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            out, err = process.communicate()
            return ExecResult(-9, out, err, time.perf_counter() - start, timed_out=True)
        return ExecResult(process.returncode, out, err, time.perf_counter() - start)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _kill_group(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


class LocalBackend:
    name = "local"
    isolates = False
    notice = NOTICE

    def start(self, label: str) -> LocalSandbox:
        try:
            return LocalSandbox(label)
        except OSError as exc:
            raise InfraError(f"cannot create a local sandbox: {exc}") from exc
