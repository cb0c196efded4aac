"""Many runs: every (scenario, set, epoch) unit, on an executor (executors.py), resumable.

Each finished unit is written to ``OUT/runs/<scenario>--<set>--e<epoch>.json`` at once;
with ``resume`` a unit whose file exists and was made with the same scenario content,
configuration and Charter version is read back instead of run again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from charter.hooks import __version__
from charter.hooks.errors import CharterError
from charter.simulator import executors, interrupts, results, sandbox, ship
from charter.simulator.records import RunKey, TimedRun
from charter.simulator.replay import RunConfig
from charter.simulator.scenario import Scenario

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
    return ship.digest(scenario.folder)


def choose_executor(executor: str | None, jobs: int) -> executors.Executor:
    """The executor of ``--executor`` (None or ``local``: a local pool of ``jobs``)."""
    if executor in (None, "", "local"):
        return executors.Serial() if jobs <= 1 else executors.LocalPool(jobs)
    if executor.startswith("tcp://") or executor.startswith("tls://"):
        from charter.simulator.dask_executor import DaskExecutor

        return DaskExecutor(executor)
    raise CharterError(
        f"--executor {executor}: give 'local' (the default, with --jobs) or the address "
        "of a Dask scheduler, e.g. tcp://scheduler:8786"
    )


def plan(scenarios: Sequence[Scenario], sets: Sequence[str], epochs: int) -> list[Unit]:
    for scenario in scenarios:
        for name in sets:
            scenario.constraint_set(name)  # an unknown set fails before anything runs
    return [Unit(s, name, e) for s in scenarios for name in sets for e in range(epochs)]


def run_all(
    units: Sequence[Unit],
    config: RunConfig,
    backend: str | sandbox.Spec,
    out: Path,
    *,
    jobs: int = 1,
    resume: bool = False,
    progress: Progress | None = None,
    executor: str | None = None,
) -> list[TimedRun]:
    """Run (or reuse) every unit; their runs, in the units' order.

    ``executor`` (``--executor``) runs them: None, this process or a local pool of
    ``jobs``; ``tcp://HOST:PORT``, a Dask cluster. The results files and ``--resume``
    are kept here, the same for every executor."""
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
        with interrupts.deferred():  # a unit's file is written whole, then Ctrl-C stops us
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
    if todo:
        chosen = choose_executor(executor, min(jobs, len(todo)))
        jobs_ = [
            executors.Job(i, units[i].scenario.folder, digests[units[i].scenario.folder],
                          units[i].set_name, units[i].epoch)
            for i in todo
        ]  # fmt: skip
        chosen.run(jobs_, executors.Work(config, backend), lambda i, run: finish(i, run, False))
    return [done[i] for i in range(len(units))]
