"""``charter sim run`` and ``compare`` as one application function: plan every unit,
run (or reuse) them, build and write the results document.

The command adapters (``commands/run.py``, ``commands/compare.py``) turn arguments into
a :class:`Simulation`, call :func:`simulate` and render what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from charter.hooks.errors import CharterError
from charter.simulator import batch, interrupts, nightly, results, sandbox, scenario
from charter.simulator.records import Environment, Results, SimSettings
from charter.simulator.replay import RunConfig
from charter.simulator.sandbox.base import Backend


@dataclass(frozen=True)
class Simulation:
    """What to simulate: the scenarios under each set, ``epochs`` times; with
    ``compare``, the two sets' A/B comparison too."""

    scenarios: tuple[Path, ...]
    sets: tuple[str, ...]
    epochs: int
    config: RunConfig
    out: Path
    jobs: int = 1
    resume: bool = False
    compare: bool = False
    executor: str | None = None  # --executor: None (local) or a Dask scheduler's address
    #: ``charter sim loop``: the set is run again with the nightly loop (nightly.py) and
    #: compared with itself without it.
    learn_every: int | None = None

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.jobs < 1:
            raise CharterError("--epochs and --jobs must be at least 1")
        if len(set(self.sets)) != len(self.sets):
            raise CharterError("--sets: name two different constraint sets")
        if self.compare and len(self.sets) != 2:
            raise CharterError("--sets: name the two constraint sets to compare")

    @property
    def results_file(self) -> Path:
        return self.out / "results.json"


def plan(simulation: Simulation) -> list[batch.Unit]:
    """Every unit to run; an unknown set or two scenarios of one name fail here."""
    loaded = [scenario.load(path) for path in simulation.scenarios]
    names = [s.name for s in loaded]
    if len(set(names)) != len(names):
        raise CharterError(f"two scenarios share a name: {names}")
    return batch.plan(loaded, simulation.sets, simulation.epochs)


def simulate(
    simulation: Simulation,
    units: list[batch.Unit],
    spec: sandbox.Spec,
    backend: Backend,
    progress: batch.Progress | None = None,
) -> Results:
    """Run the planned units in ``spec``'s sandbox (``backend``, made of it, names it);
    the results, written to ``--out``."""
    configs = [simulation.config]
    sets = simulation.sets
    compared = (sets[0], sets[1]) if simulation.compare else None
    if simulation.learn_every is not None:
        configs.append(replace(simulation.config, learn_every=simulation.learn_every))
        sets = (sets[0], sets[0] + nightly.SUFFIX)
        compared = (sets[0], sets[1])
    timed = [
        run
        for config in configs
        for run in batch.run_all(
            units,
            config,
            spec,
            simulation.out,
            jobs=simulation.jobs,
            resume=simulation.resume,
            progress=progress,
            executor=simulation.executor,
        )
    ]
    names = tuple(dict.fromkeys(u.scenario.name for u in units))
    # Made and written whole: a Ctrl-C inside pydantic's serializer would come out as
    # its error, not as an interruption (interrupts.py).
    with interrupts.deferred():
        settings = SimSettings(
            **simulation.config.settings().model_dump(),
            sets=sets,
            scenarios=names,
            epochs=simulation.epochs,
        )
        environment = Environment(
            sandbox=backend.name, isolates=backend.isolates, notice=backend.notice
        )
        doc = results.document(timed, settings, environment, compared)
        results.write_results(simulation.results_file, doc)
    return doc
