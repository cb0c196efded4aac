"""What one try costs, by path, in one run: today's path against the fast ones (issue 18).

    python bench/sim_overhead.py [SCENARIO ...] [--set NAME] [--epochs 1] [--image IMAGE]

Without scenarios it runs the shipped ones (scenarios/*/). Each path replays the same
units in this process (one core), the paths taking turns unit by unit (so a change of
the machine's load hits them alike); a try is an attempt that reached
``git commit``. Per path it reports the CPU time per try (this process and every process
it waited for: git, pre-commit, charter, the sandbox's driver) and the wall time per try:

- ``process per command``: the path before issue 18 (``Spec(resident=False)``): every
  command a process of its own, the oracle and drift as ``charter`` processes,
  pre-commit started at the pre-commit and at the commit-msg stage;
- ``resident, pre-commit once``: one driver process per run, Charter in-process for the
  oracle and drift, pre-commit started once per commit (each hook a new Python);
- ``resident, warm hooks``: the default: as above, with pre-commit and Charter's hooks
  forked from a warm, pre-imported server (sandbox/warm.py) instead of new Pythons;
- ``resident, --hooks direct``: Charter's hooks called without pre-commit;
- with ``--image``, the docker sandbox (resident, warm hooks) against the default local
  path: its CPU time per try is this process's and every container's (read from the engine
  before the container goes: the processes in it are not this process's children).

It checks that every path gave the same verdicts, try by try.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from charter.simulator import sandbox
from charter.simulator.progress import tries_of
from charter.simulator.records import Run
from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.scenario import load

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Path_:
    label: str
    spec: sandbox.Spec
    hooks: str = "pre-commit"


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _verdicts(run: Run) -> list[tuple[str, int, str]]:
    return [(t.id, a.number, a.verdict) for t in run.tasks for a in t.attempts]


class _Metered:
    """A docker backend whose containers' CPU time is read before each is removed."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.cpu = inner, 0.0

    def start(self, label: str) -> Any:
        box = self.inner.start(label)
        close = box.close

        def metered() -> None:
            stats = box.client.api.stats(box.container.id, stream=False, one_shot=True)
            self.cpu += stats["cpu_stats"]["cpu_usage"]["total_usage"] / 1e9
            close()

        box.close = metered
        return box


def _unit(path: Path_, backend: Any, scenario: Any, set_name: str, epoch: int) -> Any:
    timed = run_unit(scenario, set_name, epoch, RunConfig(hooks=path.hooks), backend)
    if timed.run.infra_errors:
        sys.exit(f"{path.label}: infra errors: {timed.run.infra_errors}")
    return timed


def measure(
    paths: list[Path_], folders: list[Path], set_name: str, epochs: int
) -> dict[str, dict[str, Any]]:
    """Every path's CPU and wall time per try; the paths take turns, unit by unit."""
    backends = [sandbox.backend(p.spec) for p in paths]
    backends = [
        _Metered(b) if p.spec.name == "docker" else b for p, b in zip(paths, backends, strict=True)
    ]
    rows = {p.label: {"tries": 0, "cpu": 0.0, "wall": 0.0, "verdicts": []} for p in paths}
    for folder in folders:
        scenario = load(folder)
        for epoch in range(epochs):
            for path, backend in zip(paths, backends, strict=True):
                row = rows[path.label]
                cpu, wall = _cpu() + getattr(backend, "cpu", 0.0), time.perf_counter()
                timed = _unit(path, backend, scenario, set_name, epoch)
                row["cpu"] += _cpu() + getattr(backend, "cpu", 0.0) - cpu
                row["wall"] += time.perf_counter() - wall
                row["tries"] += tries_of(timed)
                row["verdicts"].append(_verdicts(timed.run))
    for row in rows.values():
        row["cpu"] /= row["tries"]
        row["wall"] /= row["tries"]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenarios", nargs="*", type=Path)
    parser.add_argument("--set", dest="set_name", default="baseline")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--image", help="also measure the docker sandbox with this image")
    args = parser.parse_args()
    folders = args.scenarios or sorted(
        p.parent for p in (ROOT / "scenarios").glob("*/scenario.yaml")
    )
    paths = [
        Path_("process per command (before)", sandbox.Spec("local", resident=False)),
        Path_("resident, pre-commit once", sandbox.Spec("local", warm=False)),
        Path_("resident, warm hooks (default)", sandbox.Spec("local")),
        Path_("resident, --hooks direct", sandbox.Spec("local"), "direct"),
    ]
    if args.image:
        paths.append(Path_("docker, warm hooks (default)", sandbox.Spec("docker", args.image)))
    rows = measure(paths, folders, args.set_name, args.epochs)
    before = rows[paths[0].label]
    print(f"{len(folders)} scenario(s), set {args.set_name}, {args.epochs} epoch(s), serial")
    print(
        f"{'path':<32} {'tries':>5} {'CPU/try':>9} {'x before':>9} {'wall/try':>9} {'x before':>9}"
    )
    for label, row in rows.items():
        print(
            f"{label:<32} {row['tries']:>5} {row['cpu'] * 1000:>7.0f}ms "
            f"{row['cpu'] / before['cpu']:>8.2f}x {row['wall'] * 1000:>7.0f}ms "
            f"{row['wall'] / before['wall']:>8.2f}x"
        )
    if args.image:
        docker, local = rows[paths[-1].label], rows[paths[2].label]
        print(
            "docker per try against local (default path): "
            f"CPU {docker['cpu'] / local['cpu']:.2f}x, wall {docker['wall'] / local['wall']:.2f}x"
        )
    same = all(row["verdicts"] == before["verdicts"] for row in rows.values())
    print(f"verdicts identical on every path, try by try: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
