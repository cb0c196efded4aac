"""How a batch scales with workers: a Dask cluster against the local process pool.

    python bench/sim_scale.py [--workers 1 2 4] [--epochs 1] [--hooks direct]

Runs the shipped scenarios under ``baseline`` and ``strict`` (local sandbox) through a
Dask ``LocalCluster`` of N single-threaded worker processes and, in the same run, through
the local process pool with N processes (the peer: the default executor). Per N it
prints the wall time, tries per second, the CPU per try (this process and every process
it waited for: pool processes, Dask workers with their start-up, and sandboxes) and the
Dask/pool ratio of wall times; then what the
29,000-try benchmark (500 tasks x 4 sets x 10 seeds) would take at the best rate
measured here, and per added 2-core machine (tries/s per core x cores, on paper).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from charter.simulator import batch, sandbox
from charter.simulator.progress import tries_of
from charter.simulator.replay import RunConfig
from charter.simulator.scenario import load

ROOT = Path(__file__).resolve().parents[1]
TARGET = 29_000


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _batch(
    units: list[batch.Unit], config: RunConfig, jobs: int, executor: str | None
) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as out:
        wall = time.perf_counter()
        runs = batch.run_all(
            units, config, sandbox.Spec("local"), Path(out), jobs=jobs, executor=executor
        )
        wall = time.perf_counter() - wall
    tries = sum(tries_of(r) for r in runs)
    errors = sum(len(r.run.infra_errors) for r in runs)
    if errors:
        raise SystemExit(f"{errors} infra error(s): the measurement is void")
    return {"tries": tries, "wall": wall, "rate": tries / wall}


def _pool(units: list[batch.Unit], config: RunConfig, workers: int) -> dict[str, float]:
    cpu = _cpu()
    row = _batch(units, config, workers, None)  # the pool's processes are reaped in it
    return {**row, "cpu": (_cpu() - cpu) / row["tries"]}


def _dask(units: list[batch.Unit], config: RunConfig, workers: int) -> dict[str, float]:
    from distributed import LocalCluster

    cpu = _cpu()  # the workers' CPU counts once they are reaped: after the cluster closes
    with LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        row = _batch(units, config, 1, cluster.scheduler_address)
    return {**row, "cpu": (_cpu() - cpu) / row["tries"]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--hooks", choices=("pre-commit", "direct"), default="pre-commit")
    args = parser.parse_args()
    scenarios = [load(p.parent) for p in sorted((ROOT / "scenarios").glob("*/scenario.yaml"))]
    units = batch.plan(scenarios, ["baseline", "strict"], args.epochs)
    config = RunConfig(hooks=args.hooks)
    print(f"{len(units)} units ({len(scenarios)} scenarios x 2 sets x {args.epochs} epoch(s)), "
          f"local sandbox, --hooks {args.hooks}")  # fmt: skip
    print(f"{'workers':>7} {'executor':<10} {'tries':>5} {'wall s':>7} {'tries/s':>8} "
          f"{'CPU/try':>8} {'dask/pool':>9}")  # fmt: skip
    best = 0.0
    for n in args.workers:
        pool = _pool(units, config, n)
        dask = _dask(units, config, n)
        for name, row in (("pool", pool), ("dask", dask)):
            ratio = f"{dask['wall'] / pool['wall']:.2f}x" if name == "dask" else ""
            print(f"{n:>7} {name:<10} {row['tries']:>5.0f} {row['wall']:>7.1f} "
                  f"{row['rate']:>8.2f} {row['cpu'] * 1000:>6.0f}ms {ratio:>9}")  # fmt: skip
        best = max(best, dask["rate"], pool["rate"])
    print(f"{TARGET:,} tries at {best:.2f} tries/s (best here): {TARGET / best / 3600:.1f} h")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
