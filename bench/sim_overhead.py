"""The simulator's own overhead per try, above the hooks (local sandbox).

    python bench/sim_overhead.py [--epochs 5] [SCENARIO --set NAME]

Without a scenario it builds the tiny test scenario (tests/support/simkit.py). Per try it
reports the median time of ``git commit`` with the hooks (pre-commit + ``charter check``),
of the oracle (``charter check --staged`` and ``charter commit-msg``), and of the rest
(reset, ``git apply``, ``git add``, bookkeeping): the simulator's overhead (target <= 50
ms), and tries per second.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.sandbox.local import LocalBackend
from charter.simulator.scenario import load


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", nargs="?", type=Path)
    parser.add_argument("--set", dest="set_name", default="baseline")
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.scenario
        if folder is None:
            sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
            from support.simkit import tiny

            folder = tiny(Path(tmp))
        scenario = load(folder)
        rows, wall = [], 0.0
        for epoch in range(args.epochs):
            run = run_unit(scenario, args.set_name, epoch, RunConfig(), LocalBackend())
            rows += [a for a in run["timings"]["attempts"] if a["commit_ms"] > 0]
            wall += run["timings"]["wall_s"]
    for name, key in (("hooks (git commit)", "commit_ms"), ("oracle", "oracle_ms"),
                      ("simulator overhead", "overhead_ms")):  # fmt: skip
        values = [r[key] for r in rows]
        print(f"{name:<20} median {statistics.median(values):7.1f} ms   "
              f"mean {statistics.fmean(values):7.1f} ms")  # fmt: skip
    print(
        f"{len(rows)} tries in {wall:.1f} s: {len(rows) / wall:.2f} tries/s (with setup and drift)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
