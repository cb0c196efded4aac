"""When each step of whole ``charter`` processes starts and ends: the critical path.

    cd <repository> && python /path/to/bench/timeline.py [--runs 15] [--warm] [ARGS]

Runs ``charter ARGS`` (default ``check --all``; a first argument that is a flag is one of
``check``'s; cold: Charter's caches deleted before each run, as the bench's fresh clone;
``--warm`` keeps them, e.g. ``--warm commit-msg MSGFILE``) ``--runs`` times as a new
process, each step of ``STEPS`` timed where it runs: the main thread, the thread that
builds the import table (``charter-ahead``) and the forked children (the decisions'
child, a table helper). A step is wrapped when its module is first imported (an import
hook: nothing is imported earlier than the command imports it), and each call appends
one line to a file, so the forked children's steps are seen too. Printed: one row per
step and place, sorted by when it starts, with the median over the runs of its first
start and last end (ms since the process was started) and its inclusive time; and the
median whole run.

The wrappers cost a few microseconds a call (batch-level steps only): a cold Django run
took 2.5 ms longer with them (median of 15 interleaved pairs). ``bench/phases.py`` times
a warm hook's steps in one process instead.
"""

from __future__ import annotations

# Only what the interpreter has loaded already: the timed process imports this file
# first, and must import nothing before Charter does (the runner's own imports are
# made in its functions).
import os
import sys
import time

# (module, qualified name): batch-level steps of a check, in the order they usually run.
STEPS = (
    ("charter.hooks.source.early", "start"),
    ("charter.hooks.cli", "main"),
    ("charter.hooks.commands.check", "run"),
    ("charter.hooks.settings", "load"),
    ("charter.hooks.commands.check", "judge"),
    ("charter.hooks.decisions.compile", "load_active"),
    ("charter.hooks.engine", "Ahead.before_fork"),
    ("charter.hooks.source.snapshot", "_PendingListing.result"),
    ("charter.hooks.source.git", "Running.wait"),
    ("charter.hooks.source.listing", "parse"),
    ("charter.hooks.view", "SnapshotView.__init__"),
    ("charter.hooks.engine", "_table_helper"),
    ("charter.hooks.engine", "_read"),
    ("charter.hooks.decisions.compile", "_validate"),
    ("charter.hooks.engine", "Ahead.start"),
    ("charter.hooks.decisions.compile", "_received"),
    ("charter.hooks.engine", "Ahead._build"),
    ("charter.hooks.view", "SnapshotView.table"),
    ("charter.hooks.source.native", "scan"),
    ("charter.hooks.source.native", "_located_lines"),
    ("charter.hooks.source.native", "_grimp_guarded"),
    ("charter.hooks.engine", "_facts_wanted"),
    ("charter.hooks.engine", "Ahead.view"),
    ("charter.hooks.view", "SnapshotView.facts_of"),
    ("charter.hooks.view", "SnapshotView.learned"),
    ("charter.hooks.verdict", "judge_snapshot"),
    ("charter.hooks.engine", "_judged"),
    ("charter.hooks.engine", "_graph_findings"),
    ("charter.hooks.view", "SnapshotView.settle"),
    ("charter.hooks.engine", "_file_findings"),
    ("charter.hooks.source.cache", "Cache.save"),
    ("charter.hooks.commands.check", "write_report"),
    ("charter.hooks.commands.commit_msg", "run"),
    ("charter.hooks.governance", "weakenings"),
)
EVENTS = "CHARTER_TIMELINE_EVENTS"  # the file the wrapped steps append to


# -- in the timed process ----------------------------------------------------------------


def _wrapped(name: str, func, out: int):  # type: ignore[no-untyped-def]
    import threading  # imported by Charter before any step runs

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.time_ns()
        try:
            return func(*args, **kwargs)
        finally:
            where = threading.current_thread().name
            os.write(out, f"{os.getpid()}\t{where}\t{name}\t{start}\t{time.time_ns()}\n".encode())

    timed.__name__, timed.__qualname__ = func.__name__, func.__qualname__
    timed.__doc__, timed.__wrapped__ = func.__doc__, func  # type: ignore[attr-defined]
    return timed


def _patch(module: object, path: str, out: int) -> None:
    from functools import cached_property  # imported by Charter's modules already

    owner = module
    *parents, attr = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent, None)
        if owner is None:
            return
    raw = vars(owner).get(attr)
    name = f"{module.__name__.removeprefix('charter.hooks.')}.{path}"  # type: ignore[attr-defined]
    if isinstance(raw, cached_property):
        wrapped = cached_property(_wrapped(name, raw.func, out))
        wrapped.__set_name__(owner, attr)
        setattr(owner, attr, wrapped)
    elif callable(raw):
        setattr(owner, attr, _wrapped(name, raw, out))


class _Hook:
    """A finder (``sys.meta_path``) that wraps the steps of a module once it has run,
    before anyone imports from it."""

    def __init__(self, out: int) -> None:
        self.out = out
        self.wanted: dict[str, list[str]] = {}
        for module, path in STEPS:
            self.wanted.setdefault(module, []).append(path)

    def find_spec(self, name, path, target=None):  # type: ignore[no-untyped-def]
        if name not in self.wanted:
            return None
        from importlib.machinery import PathFinder  # loaded with the interpreter

        spec = PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        run, hook = spec.loader.exec_module, self

        def exec_module(module):  # type: ignore[no-untyped-def]
            run(module)
            for step in hook.wanted[name]:
                _patch(module, step, hook.out)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def boot(argv: list[str]) -> None:
    """``charter`` itself (its console script's one call), with the hook installed."""
    out = os.open(os.environ[EVENTS], os.O_WRONLY | os.O_APPEND)
    os.write(out, f"{os.getpid()}\tMainThread\tinterpreter ready\t{time.time_ns()}\t"
                  f"{time.time_ns()}\n".encode())  # fmt: skip
    sys.meta_path.insert(0, _Hook(out))
    sys.argv = ["charter", *argv]
    from charter.hooks.launch import entry

    entry()


# -- the runner --------------------------------------------------------------------------


def one_run(argv: list[str], cold: bool) -> tuple[float, list[tuple[str, str, float, float]]]:
    """One process: its wall time (ms) and its steps (place, step, start, end in ms)."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    root = Path.cwd()
    if cold:
        shutil.rmtree(root / ".charter_cache", ignore_errors=True)
        shutil.rmtree(root / ".git" / "charter", ignore_errors=True)
    with tempfile.NamedTemporaryFile(prefix="charter-timeline-") as events:
        # Bytecode written and read as an installed Charter's is (the warm-up run writes it).
        env = {**os.environ, EVENTS: events.name}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        began = time.time_ns()
        result = subprocess.run([sys.executable, os.path.abspath(__file__), "--boot", *argv],
                                env=env, stdout=subprocess.DEVNULL)  # fmt: skip
        wall = (time.time_ns() - began) / 1e6
        if result.returncode not in (0, 1):  # 1: findings; else the timeline is a failure's
            sys.exit(f"timeline: charter {' '.join(argv)} failed ({result.returncode})")
        lines = Path(events.name).read_text().splitlines()
    steps = []
    roles: dict[str, str] = {}
    for line in lines:
        pid, thread, name, start, end = line.split("\t")
        if not roles:
            roles[pid] = "main"
        role = roles.setdefault(pid, f"child {len(roles)}")
        place = role if role != "main" or thread == "MainThread" else f"main/{thread}"
        steps.append((place, name, (int(start) - began) / 1e6, (int(end) - began) / 1e6))
    return wall, steps


def timeline(runs: int, argv: list[str], cold: bool) -> str:
    import statistics
    from collections import defaultdict

    walls = []
    first: dict[tuple[str, str], list[float]] = defaultdict(list)
    last: dict[tuple[str, str], list[float]] = defaultdict(list)
    inclusive: dict[tuple[str, str], list[float]] = defaultdict(list)
    calls: dict[tuple[str, str], list[int]] = defaultdict(list)
    one_run(argv, cold)  # warm-up: the OS file cache, bytecode
    for _ in range(runs):
        wall, steps = one_run(argv, cold)
        walls.append(wall)
        per: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
        for place, name, start, end in steps:
            per[(place, name)].append((start, end))
        for key, spans in per.items():
            first[key].append(min(s for s, _ in spans))
            last[key].append(max(e for _, e in spans))
            inclusive[key].append(_union(spans))
            calls[key].append(len(spans))
    rows = sorted(first, key=lambda k: (statistics.median(first[k]), -statistics.median(last[k])))
    lines = [
        f"`charter {' '.join(argv)}`, {'cold' if cold else 'warm'}, median of {runs} "
        f"runs: whole process {statistics.median(walls):.1f} ms",
        "",
        "| where | step | starts (ms) | ends (ms) | inclusive (ms) | calls |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for key in rows:
        place, name = key
        few, many = min(calls[key]), max(calls[key])
        shown = f"{few}" if few == many else f"{few}-{many}"
        starts, ends = statistics.median(first[key]), statistics.median(last[key])
        lines.append(
            f"| {place} | `{name}` | {starts:.1f} | {ends:.1f} | "
            f"{statistics.median(inclusive[key]):.1f} | {shown} |"
        )
    return "\n".join(lines)


def _union(spans: list[tuple[float, float]]) -> float:
    """The time covered by the calls (nested or recursive calls counted once)."""
    total, reach = 0.0, float("-inf")
    for start, end in sorted(spans):
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total


def main() -> int:
    argv = sys.argv[1:]
    if argv[:1] == ["--boot"]:
        boot(argv[1:])
        return 0
    runs, cold = 15, True
    if "--runs" in argv:
        at = argv.index("--runs")
        runs = int(argv[at + 1])
        del argv[at : at + 2]
    if "--warm" in argv:
        argv.remove("--warm")
        cold = False
    if not argv or argv[0].startswith("-"):  # check's flags alone
        argv = ["check", *(argv or ["--all"])]
    print(timeline(runs, argv, cold))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
