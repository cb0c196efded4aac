"""Where one ``charter check`` run spends its time, without a profiler's overhead.

    cd <repository> && python /path/to/bench/phases.py [check arguments, default --staged]

Wraps the engine's main steps (found by name; a step that no longer exists is skipped)
with ``time.perf_counter`` timers, runs ``charter.hooks.cli.main`` in this process and
prints one JSON document: the time to import Charter, the whole command, and each
step's inclusive milliseconds and calls. Steps nest (the graph includes the facts it
reads), so the numbers do not add up to the total. ``bench/run.py --profile`` runs it
on a warm 1-file commit.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import io
import json
import sys
import time
from collections import defaultdict
from contextlib import redirect_stdout, suppress
from functools import cached_property

START = time.perf_counter()

# (module, attribute path): the steps of the hook, outermost first.
STEPS = (
    ("charter.hooks.commands.options", "settings_from"),
    ("charter.hooks.decisions.compile", "load_active"),
    ("charter.hooks.commands.options", "load_catalog"),
    ("charter.hooks.source.cache", "Cache.save"),
    ("charter.hooks.source.snapshot", "index_ids"),
    ("charter.hooks.source.snapshot", "Commit._list"),
    ("charter.hooks.source.snapshot", "WorkTree.files"),
    ("charter.hooks.source.snapshot", "head_exists"),
    ("charter.hooks.source.snapshot", "tree_id"),
    ("charter.hooks.verdict", "judge"),
    ("charter.hooks.verdict", "base_fingerprints"),
    ("charter.hooks.resolve", "require_modules"),
    ("charter.hooks.source.snapshot", "_GitObjects.read"),
    ("charter.hooks.engine", "run"),
    ("charter.hooks.view", "SnapshotView.__init__"),
    ("charter.hooks.view", "SnapshotView.table"),
    ("charter.hooks.view", "SnapshotView.graph"),
    ("charter.hooks.view", "SnapshotView.facts_of"),
    ("charter.hooks.engine", "_file_findings"),
    ("charter.hooks.engine", "_graph_findings"),
    ("charter.hooks.view", "SnapshotView.facts"),
    ("charter.hooks.view", "SnapshotView.in_scope"),
    ("charter.hooks.source.facts", "extract"),
    ("charter.hooks.source.batch", "extract_many"),
    ("charter.hooks.source.facts", "FileFacts.from_data"),
    ("charter.hooks.source.modules", "build_index"),
    ("charter.hooks.source.graph", "ImportGraph.__init__"),
    ("charter.hooks.source.graph", "ImportGraph.routes_to"),
    ("charter.hooks.findings", "number_occurrences"),
    ("charter.hooks.baseline", "fingerprints"),
    ("charter.hooks.waivers", "apply"),
)

totals: dict[str, float] = defaultdict(float)
calls: dict[str, int] = defaultdict(int)
depth: dict[str, int] = defaultdict(int)


def timer(name: str, func):  # type: ignore[no-untyped-def]
    if inspect.isgeneratorfunction(func):  # time the iteration, not the call

        @functools.wraps(func)
        def generator(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls[name] += 1
            iterator = func(*args, **kwargs)
            while True:
                depth[name] += 1
                start = time.perf_counter()
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                finally:
                    depth[name] -= 1
                    if depth[name] == 0:
                        totals[name] += time.perf_counter() - start
                yield item

        return generator

    @functools.wraps(func)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls[name] += 1
        depth[name] += 1
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            depth[name] -= 1
            if depth[name] == 0:  # recursion is counted once
                totals[name] += time.perf_counter() - start

    return wrapper


def patch(module_name: str, path: str) -> bool:
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    owner: object = module
    *parents, attr = path.split(".")
    for parent in parents:
        owner = getattr(owner, parent, None)
        if owner is None:
            return False
    raw = owner.__dict__.get(attr) if isinstance(owner, type) else getattr(owner, attr, None)
    if raw is None:
        return False
    name = f"{module_name.removeprefix('charter.hooks.')}.{path}"
    if isinstance(raw, cached_property):
        wrapped = cached_property(timer(name, raw.func))
        wrapped.__set_name__(owner, attr)
        setattr(owner, attr, wrapped)
        return True
    if isinstance(raw, (staticmethod, classmethod)):
        setattr(owner, attr, type(raw)(timer(name, raw.__func__)))
        return True
    new = timer(name, raw)
    setattr(owner, attr, new)
    if not parents:  # also where other modules imported the function by name
        for other in list(sys.modules.values()):
            if getattr(other, "__name__", "").startswith("charter.") and other is not module:
                for key, value in list(vars(other).items()):
                    if value is raw:
                        setattr(other, key, new)
    return True


def main() -> int:
    from charter.hooks import cli

    cli_imported = time.perf_counter()
    for module_name in {m for m, _ in STEPS} | {"charter.hooks.kinds", "charter.hooks.report"}:
        with suppress(ImportError):
            importlib.import_module(module_name)
    modules_imported = time.perf_counter()
    patched = [f"{m}:{p}" for m, p in STEPS if patch(m, p)]
    kinds = importlib.import_module("charter.hooks.kinds")
    registry = kinds.KINDS  # read-only and lazy: its two tables are replaced in place
    for name, kind in list(registry.items()):
        if kind.check is not None:
            timed = timer(f"kinds.KINDS[{name!r}].check", kind.check)
            registry._named[name] = registry._all()[name] = dataclasses.replace(kind, check=timed)

    argv = sys.argv[1:] or ["--staged"]
    output = io.StringIO()
    start = time.perf_counter()
    with redirect_stdout(output):
        code = cli.main(["check", *argv])
    end = time.perf_counter()
    document = {
        "argv": ["check", *argv],
        "exit": code,
        "import_cli_ms": (cli_imported - START) * 1000,
        "import_engine_modules_ms": (modules_imported - cli_imported) * 1000,
        "main_ms": (end - start) * 1000,
        "steps": sorted(
            (
                {"step": name, "ms": round(seconds * 1000, 2), "calls": calls[name]}
                for name, seconds in totals.items()
            ),
            key=lambda row: -row["ms"],
        ),
        "patched": patched,
    }
    json.dump(document, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
