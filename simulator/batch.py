"""Many runs: every (scenario, set, epoch) unit, in parallel processes, resumable.

Each finished unit is written to ``OUT/runs/<scenario>--<set>--e<epoch>.json`` at once;
with ``resume`` a unit whose file exists and was made with the same scenario content,
configuration and Charter version is read back instead of run again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from charter.hooks import __version__
from charter.simulator import results, sandbox
from charter.simulator.records import RunKey, TimedRun
from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.scenario import Scenario, load

#: Called after each unit: (unit, its run, reused from --resume).
Progress = Callable[["Unit", TimedRun, bool], None]


@dataclass(frozen=True)
class Unit:
    scenario: Scenario
    set_name: str
    epoch: int

    @property
    def label(self) -> str:
        return f"{self.scenario.name} / {self.set_name} / epoch {self.epoch}"


def digest(scenario: Scenario) -> str:
    """A hash of every file of the scenario (an edited scenario is run again)."""
    sha = hashlib.sha256()
    for path in sorted(p for p in scenario.folder.rglob("*") if p.is_file()):
        sha.update(path.relative_to(scenario.folder).as_posix().encode() + b"\0")
        sha.update(path.read_bytes() + b"\0")
    return sha.hexdigest()[:20]


def plan(scenarios: Sequence[Scenario], sets: Sequence[str], epochs: int) -> list[Unit]:
    for scenario in scenarios:
        for name in sets:
            scenario.constraint_set(name)  # an unknown set fails before anything runs
    return [Unit(s, name, e) for s in scenarios for name in sets for e in range(epochs)]


def _work(
    folder: str, set_name: str, epoch: int, config: RunConfig, backend: str | sandbox.Spec
) -> TimedRun:
    return run_unit(load(Path(folder)), set_name, epoch, config, sandbox.backend(backend))


def run_all(
    units: Sequence[Unit],
    config: RunConfig,
    backend: str | sandbox.Spec,
    out: Path,
    *,
    jobs: int = 1,
    resume: bool = False,
    progress: Progress | None = None,
) -> list[TimedRun]:
    """Run (or reuse) every unit; their runs, in the units' order."""
    sandbox.backend(backend)  # an unavailable backend fails before anything runs
    digests = {u.scenario.folder: digest(u.scenario) for u in units}
    done: dict[int, TimedRun] = {}
    todo: list[int] = []

    def key(unit: Unit) -> RunKey:
        return RunKey(
            scenario=unit.scenario.name,
            digest=digests[unit.scenario.folder],
            set_name=unit.set_name,
            epoch=unit.epoch,
            config=config.settings(),
            version=__version__,
        )

    def finish(index: int, run: TimedRun, reused: bool) -> None:
        done[index] = run
        if not reused:
            results.write_run(out, run, key(units[index]))
        if progress is not None:
            progress(units[index], run, reused)

    for index, unit in enumerate(units):
        path = results.run_file(out, unit.scenario.name, unit.set_name, unit.epoch)
        previous = results.read_run(path, key(unit)) if resume else None
        if previous is not None:
            finish(index, previous, True)
        else:
            todo.append(index)
    if jobs <= 1 or len(todo) <= 1:
        for index in todo:
            unit = units[index]
            run = run_unit(
                unit.scenario, unit.set_name, unit.epoch, config, sandbox.backend(backend)
            )
            finish(index, run, False)
    else:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
            pending: dict[Future[TimedRun], int] = {
                pool.submit(
                    _work,
                    str(units[i].scenario.folder),
                    units[i].set_name,
                    units[i].epoch,
                    config,
                    backend,
                ): i
                for i in todo
            }
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    finish(pending.pop(future), future.result(), False)
    return [done[i] for i in range(len(units))]
