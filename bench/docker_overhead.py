"""What the docker sandbox costs: per run (container start + teardown) and per command.

    python bench/docker_overhead.py [--image charter-sim:latest] [--runs 10] [--execs 50]

Needs a Docker engine and the sandbox image (``charter sim image build``). Prints the
median time to start a sandbox (volume + container + its folders) and to close it
(container and volume removed), of ``true`` run through ``Sandbox.exec``, and of writing
and reading a small file, in the docker and the local sandbox, each with a process (a
``docker exec``) per command as before issue 18 and with the resident driver.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from charter.simulator.sandbox.docker import DockerBackend
from charter.simulator.sandbox.local import LocalBackend


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f}ms"


def _sample(backend: Any, runs: int, execs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"start": [], "close": [], "exec": [], "write": [], "read": []}

    def timed(name: str, call: Any, *args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        value = call(*args, **kwargs)
        times[name].append(time.perf_counter() - began)
        return value

    for index in range(runs):
        sandbox = timed("start", backend.start, f"bench-{index}")
        for _ in range(execs // runs or 1):
            timed("exec", sandbox.exec, ["true"], cwd="tmp")
            timed("write", sandbox.write, "tmp/x.txt", b"x" * 1000)
            timed("read", sandbox.read, "tmp/x.txt")
        timed("close", sandbox.close)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--image")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--execs", type=int, default=50)
    args = parser.parse_args()
    rows = {
        "docker, a docker exec per command (before)": DockerBackend(args.image, resident=False),
        "docker, resident driver": DockerBackend(args.image),
        "local, a process per command": LocalBackend(resident=False),
        "local, resident driver": LocalBackend(),
    }
    print(f"{args.runs} sandboxes, {args.execs} commands each way (medians)")
    print(f"{'':<44} {'start':>8} {'close':>8} {'exec':>8} {'write':>8} {'read':>8}")
    for label, backend in rows.items():
        times = _sample(backend, args.runs, args.execs)
        cells = " ".join(f"{_ms(times[k]):>8}" for k in ("start", "close", "exec", "write", "read"))
        print(f"{label:<44} {cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
