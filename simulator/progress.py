"""What a long run tells its user on stderr: progress as it goes, where the time went.

On a terminal, a rich progress bar with units done, tries per second and an ETA; not on
a terminal, one plain line per unit (for logs); ``--quiet``, nothing. The ETA counts only
units that run (those ``--resume`` reuses are taken off the total). At the end,
:func:`time_summary` adds up the runs' own timings: how much went to the hooks, the
oracle, the drift, setting up, the agent, the simulator, and starting and removing
sandboxes — per try and in total, with the executor's parallelism.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TextIO

from charter.simulator.records import RunTimings, TimedRun

if TYPE_CHECKING:  # only for annotations
    from charter.simulator.batch import Unit


def tries_of(timed: TimedRun) -> int:
    """Tries that reached ``git commit`` (the unit of the benchmark's figures)."""
    return _tries(timed.timings)


def _tries(timings: RunTimings) -> int:
    return sum(1 for a in timings.attempts if a.commit_ms > 0)


class Progress:
    """Progress of one batch; ``update`` is batch.run_all's progress callback."""

    def __init__(self, total: int, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total, self.done, self.reused, self.tries = total, 0, 0, 0
        self.quiet = quiet
        self.fresh: list[TimedRun] = []  # the runs made now (not reused)
        self.started = time.perf_counter()
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Progress:
        self.started = time.perf_counter()
        if self.quiet or not self.stream.isatty():
            return self
        try:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar
        except ImportError:
            return self
        self.bar = Bar(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(file=self.stream),
        )
        self.bar.start()
        self.task = self.bar.add_task("simulating", total=self.total, rate="")
        return self

    def update(self, unit: Unit, run: TimedRun, reused: bool) -> None:
        self.done += 1
        if reused:
            self.reused += 1
        else:
            self.tries += tries_of(run)
            self.fresh.append(run)
        if self.quiet:
            return
        m = run.run.metrics
        line = (
            f"[{self.done}/{self.total}] {unit.label}: {'reused' if reused else 'done'}; "
            f"landed {m['landed']}, abandoned {m['abandoned']}, blocked {m['blocked']}, "
            f"escaped {m['escaped']}, infra errors {m['infra_errors']}"
        )
        if self.bar is None:
            self.stream.write(line + "\n")
            self.stream.flush()
            return
        if reused:  # the ETA is for the units that run
            self.bar.update(self.task, total=self.total - self.reused)
        else:
            self.bar.update(self.task, advance=1, rate=self.rate(), description=unit.label)
        self.bar.console.print(line)

    def rate(self) -> str:
        elapsed = time.perf_counter() - self.started
        return f"{self.tries / elapsed:.2f} tries/s" if elapsed > 0 else ""

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


PHASES = (
    ("hooks (git commit)", "commit_ms"),
    ("oracle", "oracle_ms"),
    ("agent", "agent_ms"),
    ("simulator (apply, stage, reset)", "overhead_ms"),
)


def time_summary(runs: Iterable[TimedRun], elapsed: float, executor: str) -> str:
    """Where the time of the runs went (their own timings), for the end of a batch."""
    timings = [r.timings for r in runs]
    tries = sum(_tries(t) for t in timings)
    unit_s = sum(t.wall_s for t in timings)
    parts = [
        (name, sum(getattr(a, key) for t in timings for a in t.attempts) / 1000)
        for name, key in PHASES
    ]
    parts.append(("drift", sum(sum(t.drift_ms) for t in timings) / 1000))
    parts.append(("setup (repository, hooks)", sum(t.setup_ms for t in timings) / 1000))
    parts.append(("sandbox start and removal", max(0.0, unit_s - sum(s for _, s in parts))))
    rate = f"{tries / elapsed:.2f} tries/s" if elapsed > 0 else "-"
    lines = [
        f"charter sim: {len(timings)} unit(s) run, {tries} tries in {elapsed:.1f} s on "
        f"{executor} ({rate}; {unit_s / elapsed if elapsed else 0:.1f} units' time per "
        "second of wall time); where the units' time went:"
    ]
    width = max(len(name) for name, _ in parts)
    for name, seconds in parts:
        share = 100 * seconds / unit_s if unit_s else 0.0
        per_try = 1000 * seconds / tries if tries else 0.0
        lines.append(f"  {name:<{width}}  {seconds:8.1f} s  {share:3.0f}%  {per_try:7.0f} ms/try")
    return "\n".join(lines)
