"""A real Dask cluster on 127.0.0.1: ``dask scheduler`` and ``dask worker`` processes.

Each process is started from the test's virtual environment (its ``bin`` first on PATH,
so workers find ``charter``, ``pre-commit`` and ``git`` as a user's would), in a process
group of its own so that a test can kill one worker, nanny and all, mid-run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent


def _env() -> dict[str, str]:
    return {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}


@dataclass
class Cluster:
    folder: Path
    address: str = ""
    scheduler: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, workers: int, timeout: float = 90.0) -> Cluster:
        file = self.folder / "scheduler.json"
        self.scheduler = self._spawn(
            "scheduler",
            [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
             "--no-dashboard", "--scheduler-file", str(file)],
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        # The scheduler creates the file, then writes it: read it once it holds the JSON.
        while not (address := _address(file)):
            self._alive(self.scheduler, "scheduler", deadline)
            time.sleep(0.2)
        self.address = address
        for index in range(workers):
            self.add_worker(f"w{index}")
        self.wait_for_workers(workers, deadline)
        return self

    def add_worker(self, name: str) -> subprocess.Popen[bytes]:
        worker = self._spawn(
            name,
            [str(BIN / "dask"), "worker", self.address, "--name", name, "--nthreads", "1",
             "--no-dashboard", "--host", "127.0.0.1",
             "--local-directory", str(self.folder / name)],
        )  # fmt: skip
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, count: int, deadline: float) -> None:
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            while len(client.scheduler_info()["workers"]) < count:
                assert self.scheduler is not None
                self._alive(self.scheduler, "scheduler", deadline)
                time.sleep(0.3)

    def kill(self, worker: subprocess.Popen[bytes]) -> None:
        """SIGKILL the worker's whole process group (nanny and worker: no restart)."""
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.workers, self.scheduler]:
            if process is None:
                continue
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")[-3000:]

    def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / f"{name}.log").open("wb") as log:
            return subprocess.Popen(
                argv, stdout=log, stderr=subprocess.STDOUT, env=_env(), start_new_session=True
            )

    def _alive(self, process: subprocess.Popen[bytes], name: str, deadline: float) -> None:
        if process.poll() is not None:
            raise RuntimeError(f"dask {name} exited: {self.log(name)}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"dask {name} did not come up: {self.log(name)}")


@contextmanager
def running(folder: Path, workers: int) -> Iterator[Cluster]:
    """A started cluster of ``workers`` workers, stopped at the end (a fixture's body)."""
    cluster = Cluster(folder)
    try:
        yield cluster.start(workers=workers)
    finally:
        cluster.stop()


def _address(file: Path) -> str:
    """The scheduler's address in its file; '' while the file is missing or half written."""
    try:
        return str(json.loads(file.read_text())["address"])
    except (OSError, ValueError, KeyError):
        return ""
