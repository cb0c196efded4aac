"""Where units run: in this process, a local process pool, or a Dask distributed cluster.

A unit (one scenario, constraint set and epoch) is a pure function of its scenario's
content, the run configuration and the sandbox backend, so it may run anywhere that has
the same Charter: an executor only moves jobs out and run records back. The client keeps
the bookkeeping (which units ``--resume`` reuses, the results files), so results are the
same whatever the executor (batch.py chooses it). ``--executor tcp://HOST:PORT`` sends
units to the Dask scheduler at that address (dask_executor.py, extra ``charter[dask]``);
each job carries its scenario as an archive named by its content digest (ship.py), so
workers need no shared file system.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Protocol

from charter.hooks import __version__
from charter.hooks.errors import CharterError
from charter.simulator import interrupts, sandbox, ship
from charter.simulator.records import TimedRun
from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.scenario import load

#: Called once per finished job, in this process: (job index, run record).
Done = Callable[[int, TimedRun], None]


@dataclass(frozen=True)
class Job:
    """One unit to run; ``folder`` is the scenario on the client, ``digest`` its content."""

    index: int
    folder: Path
    digest: str
    set_name: str
    epoch: int


@dataclass(frozen=True)
class Work:
    """What every job of a run shares (picklable: it travels to workers)."""

    config: RunConfig
    backend: str | sandbox.Spec


class Executor(Protocol):
    #: For the user: where the units run.
    description: str

    def run(self, jobs: Sequence[Job], work: Work, done: Done) -> None:
        """Run every job, calling ``done`` as each finishes; on Ctrl-C, stop the jobs
        still running and raise KeyboardInterrupt (finished jobs stay done)."""
        ...


def run_job(job: Job, work: Work, folder: Path | None = None) -> TimedRun:
    """One unit, here (``folder``: where the scenario lies on this machine)."""
    scenario = load(folder or job.folder)
    return run_unit(scenario, job.set_name, job.epoch, work.config, sandbox.backend(work.backend))


def run_shipped(payload: bytes, job: Job, work: Work, version: str) -> TimedRun:
    """One unit on a remote worker, from its scenario's archive."""
    if version != __version__:
        raise CharterError(
            f"this worker runs Charter {__version__}, the client {version}: install the "
            "same Charter on both (results would not compare)"
        )
    return run_job(job, work, ship.unpack(payload, job.digest))


class Serial:
    description = "this process"

    def run(self, jobs: Sequence[Job], work: Work, done: Done) -> None:
        for job in jobs:
            done(job.index, run_job(job, work))


class LocalPool:
    """A pool of local processes (spawned: no state shared with the client)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.description = f"{jobs} local processes"

    def run(self, jobs: Sequence[Job], work: Work, done: Done) -> None:
        pool = ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=get_context("spawn"), initializer=interrupts.install
        )
        try:
            pending: dict[Future[TimedRun], int] = {
                pool.submit(_pool_job, job, work): job.index for job in jobs
            }
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    done(pending.pop(future), future.result())
        except BaseException:
            _interrupt(pool)
            raise
        pool.shutdown(wait=True)


def _pool_job(job: Job, work: Work) -> TimedRun:
    with interrupts.running():
        return run_job(job, work)


def _interrupt(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's running units the way Ctrl-C stops a serial one: SIGINT, so each
    closes its sandbox; then wait for the processes (a unit does not outlive the run)."""
    processes = list(getattr(pool, "_processes", None) or {})
    pool.shutdown(wait=False, cancel_futures=True)
    for pid in processes:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGINT)
    pool.shutdown(wait=True)
