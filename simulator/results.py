"""The results document (``charter-sim/1``, docs/simulator-results.md): build, write, read.

The one builder of the document (:func:`document`) and the one place the simulator's
records become JSON files and back: the results and each finished run (for ``--resume``).
Deterministic: runs sorted by (scenario, set, epoch), keys sorted, two-space indent. Only
``timings`` and ``environment`` vary between two runs with the same seed and scenarios:
:func:`comparable` drops them.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from charter.hooks import __version__
from charter.hooks.errors import CharterError
from charter.simulator import compare, metrics
from charter.simulator.records import (
    Environment,
    JsonObject,
    Results,
    Run,
    RunKey,
    RunTimingRow,
    RunTimings,
    SimSettings,
    Spread,
    TimedRun,
    Timings,
    TimingSummary,
)

SCHEMA = "charter-sim/1"
RUN_SCHEMA = "charter-sim-run/1"
MAX_ITERATION = 1_000_000  # the report draws one point per iteration


def run_file(out: Path, scenario: str, set_name: str, epoch: int) -> Path:
    return out / "runs" / f"{scenario}--{set_name}--e{epoch}.json"


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def write_json(path: Path, data: Any) -> None:
    """Write atomically (a reader never sees half a file; --resume trusts what exists)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(dumps(data))
    os.replace(tmp, path)


def write_run(out: Path, timed: TimedRun, key: RunKey) -> Path:
    run = timed.run
    path = run_file(out, run.scenario, run.set_name, run.epoch)
    record = {**run.as_json(), "timings": timed.timings.as_json()}
    write_json(path, {"schema": RUN_SCHEMA, "key": key.as_json(), "run": record})
    return path


def read_run(path: Path, key: RunKey) -> TimedRun | None:
    """A finished run from an earlier invocation, if it was made with the same ``key``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("schema") != RUN_SCHEMA:
        return None
    if data.get("key") != key.as_json() or not isinstance(data.get("run"), dict):
        return None
    record = dict(data["run"])
    try:
        timings = RunTimings.model_validate(record.pop("timings", None))
        return TimedRun(run=Run.model_validate(record), timings=timings)
    except ValidationError:
        return None  # written by another shape of Charter: run it again


def document(
    timed: Sequence[TimedRun],
    settings: SimSettings,
    environment: Environment,
    sets_compared: tuple[str, str] | None = None,
) -> Results:
    """The results of an invocation; with ``sets_compared`` (A, B), their A/B comparison."""
    ordered = sorted(timed, key=lambda t: (t.run.scenario, t.run.set_name, t.run.epoch))
    runs = tuple(t.run for t in ordered)
    rows = tuple(
        RunTimingRow(
            scenario=t.run.scenario,
            set_name=t.run.set_name,
            epoch=t.run.epoch,
            wall_s=t.timings.wall_s,
            setup_ms=t.timings.setup_ms,
            attempts=t.timings.attempts,
            drift_ms=t.timings.drift_ms,
        )
        for t in ordered
    )
    comparison = None
    if sets_compared is not None:
        comparison = compare.paired(runs, *sets_compared, settings.seed)
    return Results(
        schema_=SCHEMA,
        version=__version__,
        config=settings,
        runs=runs,
        summary=metrics.set_summary(runs),
        timings=Timings(runs=rows, summary=timing_summary(rows)),
        environment=environment,
        comparison=comparison,
    )


def timing_summary(timings: Iterable[RunTimings]) -> TimingSummary:
    """Hook latency, oracle time and the simulator's own overhead per try (ms)."""
    listed = list(timings)
    rows = [a for t in listed for a in t.attempts if a.commit_ms > 0]
    wall = sum(t.wall_s for t in listed)
    return TimingSummary(
        tries=len(rows),
        hook_ms=_spread([a.commit_ms for a in rows]),
        oracle_ms=_spread([a.oracle_ms for a in rows]),
        overhead_ms=_spread([a.overhead_ms for a in rows]),
        wall_s=round(wall, 3),
        tries_per_s=round(len(rows) / wall, 3) if wall else 0.0,
    )


def _spread(values: Sequence[float]) -> Spread:
    if not values:
        return Spread(mean=0.0, median=0.0, max=0.0)
    return Spread(
        mean=round(statistics.fmean(values), 3),
        median=round(statistics.median(values), 3),
        max=round(max(values), 3),
    )


def write_results(path: Path, results: Results) -> None:
    write_json(path, results.as_json())


def comparable(results: Results) -> JsonObject:
    """The document without what legitimately varies between equal runs."""
    return {k: v for k, v in results.as_json().items() if k not in ("timings", "environment")}


def load(path: Path) -> Results:
    """Read a results document (a file, or a --out folder holding results.json)."""
    file = path / "results.json" if path.is_dir() else path
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CharterError(f"{file}: cannot read results ({exc.strerror})") from None
    except (ValueError, RecursionError) as exc:
        raise CharterError(f"{file}: not a JSON results document ({exc})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else None
        raise CharterError(
            f"{file}: not charter sim results (schema {found!r}, expected {SCHEMA!r})"
        )
    try:
        results = Results.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CharterError(
            f"{file}: not a valid {SCHEMA} document: {where}: {first['msg']} "
            f"({exc.error_count()} problem(s)); write it again with charter sim run or compare"
        ) from None
    problem = _inconsistency(results)
    if problem:
        raise CharterError(
            f"{file}: not a valid {SCHEMA} document: {problem}; write it again with charter "
            "sim run or compare"
        )
    return results


def _inconsistency(results: Results) -> str | None:
    """What the types allow but the report cannot draw: an iteration number it would
    draw a point for each of up to (10**12: hours and gigabytes), a set it has no
    summary of."""
    for index, run in enumerate(results.runs):
        numbers = [t.iteration for t in run.tasks] + [p.iteration for p in run.drift]
        bad = next((n for n in numbers if not 0 <= n <= MAX_ITERATION), None)
        if bad is not None:
            return f"runs.{index}: iteration {bad} is not from 0 to {MAX_ITERATION}"
        if run.set_name not in results.summary.by_set:
            return f"runs.{index}.set: {run.set_name!r} has no entry in summary.by_set"
    return None
