"""What one try costs, by path, in one run: today's path against the fast ones (issue 18).

    python bench/sim_overhead.py [SCENARIO ...] [--set NAME] [--epochs 1] [--image IMAGE]

Without scenarios it runs the shipped ones (scenarios/*/). Each path replays the same
units, one after the other, in this process (one core); a try is an attempt that reached
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
- with ``--image``, the docker sandbox (resident), whose per-try wall time is compared
  with the local sandbox's (its CPU is the container's, not this process's children's).

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


def measure(path: Path_, folders: list[Path], set_name: str, epochs: int) -> dict[str, Any]:
    backend = sandbox.backend(path.spec)
    config = RunConfig(hooks=path.hooks)
    tries, verdicts = 0, []
    cpu, wall = _cpu(), time.perf_counter()
    for folder in folders:
        scenario = load(folder)
        for epoch in range(epochs):
            timed = run_unit(scenario, set_name, epoch, config, backend)
            if timed.run.infra_errors:
                sys.exit(f"{path.label}: infra errors: {timed.run.infra_errors}")
            tries += tries_of(timed)
            verdicts.append(_verdicts(timed.run))
    cpu, wall = _cpu() - cpu, time.perf_counter() - wall
    return {"tries": tries, "cpu": cpu / tries, "wall": wall / tries, "verdicts": verdicts}


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
        paths.append(Path_("docker, resident, pre-commit", sandbox.Spec("docker", args.image)))
    rows = {p.label: measure(p, folders, args.set_name, args.epochs) for p in paths}
    before = rows[paths[0].label]
    local = rows[paths[2].label]
    print(f"{len(folders)} scenario(s), set {args.set_name}, {args.epochs} epoch(s), serial")
    print(
        f"{'path':<32} {'tries':>5} {'CPU/try':>9} {'x before':>9} {'wall/try':>9} {'x before':>9}"
    )
    for label, row in rows.items():
        # the docker sandbox's processes are the engine's children, not this process's
        cpu = "-" if label.startswith("docker") else f"{row['cpu'] * 1000:.0f}ms"
        ratio = "-" if label.startswith("docker") else f"{row['cpu'] / before['cpu']:.2f}x"
        print(
            f"{label:<32} {row['tries']:>5} {cpu:>9} {ratio:>9} {row['wall'] * 1000:>7.0f}ms "
            f"{row['wall'] / before['wall']:>8.2f}x"
        )
    if args.image:
        docker = rows[paths[-1].label]
        print(
            f"docker per-try wall time: {docker['wall'] / local['wall']:.2f}x the local sandbox's"
        )
    same = all(row["verdicts"] == before["verdicts"] for row in rows.values())
    print(f"verdicts identical on every path, try by try: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
