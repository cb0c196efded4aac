"""What the docker sandbox costs: per run (container start + teardown) and per command.

    python bench/docker_overhead.py [--image charter-sim:latest] [--runs 10] [--execs 50]

Needs a Docker engine and the sandbox image (``charter sim image build``). Prints the
median time to start a sandbox (volume + container + its folders) and to close it
(container and volume removed), and the median time of ``true`` run through
``Sandbox.exec`` in the docker and in the local sandbox (the difference is the per-command
overhead: the exec API round trips and the in-container driver).
"""

from __future__ import annotations

import argparse
import statistics
import time

from charter.simulator.sandbox.docker import DockerBackend
from charter.simulator.sandbox.local import LocalBackend


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--image")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--execs", type=int, default=50)
    args = parser.parse_args()
    docker = DockerBackend(args.image)
    starts, closes, execs, writes, reads = [], [], [], [], []
    for index in range(args.runs):
        began = time.perf_counter()
        sandbox = docker.start(f"bench-{index}")
        starts.append(time.perf_counter() - began)
        for _ in range(args.execs // args.runs or 1):
            began = time.perf_counter()
            sandbox.exec(["true"], cwd="tmp")
            execs.append(time.perf_counter() - began)
            began = time.perf_counter()
            sandbox.write("tmp/x.txt", b"x" * 1000)
            writes.append(time.perf_counter() - began)
            began = time.perf_counter()
            sandbox.read("tmp/x.txt")
            reads.append(time.perf_counter() - began)
        began = time.perf_counter()
        sandbox.close()
        closes.append(time.perf_counter() - began)
    local = LocalBackend().start("bench")
    local_execs = []
    for _ in range(args.execs):
        began = time.perf_counter()
        local.exec(["true"], cwd="tmp")
        local_execs.append(time.perf_counter() - began)
    local.close()
    print(f"docker sandbox ({docker.image}, {args.runs} runs, {len(execs)} commands)")
    print(f"  start (volume + container):   {_ms(starts)}")
    print(f"  close (container + volume):   {_ms(closes)}")
    print(f"  exec `true`:                  {_ms(execs)}  (local sandbox: {_ms(local_execs)})")
    print(f"  write a file (put_archive):   {_ms(writes)}")
    print(f"  read a file (get_archive):    {_ms(reads)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
