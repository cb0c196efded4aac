"""The results document (``charter-sim/1``, docs/simulator-results.md): build, write, read.

Deterministic: runs sorted by (scenario, set, epoch), keys sorted, two-space indent. Only
``timings`` and ``environment`` vary between two runs with the same seed and scenarios:
:func:`comparable` drops them.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from charter.hooks import __version__
from charter.hooks.errors import CharterError
from charter.simulator import metrics
from charter.simulator.shape import Bounded, Each, problem

SCHEMA = "charter-sim/1"
RUN_SCHEMA = "charter-sim-run/1"
MAX_ITERATION = 1_000_000  # the report draws one point per iteration

_NUMBER = float
_STAT = {"mean": _NUMBER, "low": _NUMBER, "high": _NUMBER, "n": int}
_DELTA = {"a": _NUMBER, "b": _NUMBER, "delta": _NUMBER, "low": _NUMBER, "high": _NUMBER}
_ATTEMPT = {"oracle": [{"decision": str}], "blocked": bool, "landed": bool}
_TASK = {
    "id": str,
    "iteration": Bounded(MAX_ITERATION),
    "outcome": str,
    "recorded_outcome?": (str, type(None)),
    "attempts": [_ATTEMPT],
}
_RUN = {
    "scenario": str,
    "set": str,
    "epoch": int,
    "tasks": [_TASK],
    "drift": [{"iteration": Bounded(MAX_ITERATION), "violations": int, "by_decision": Each(int)}],
}
_TIMING = {"mean": _NUMBER, "median": _NUMBER}
# What the report reads: checked before it reads it (see shape.py).
SHAPE = {
    "schema": str,
    "runs": [_RUN],
    "summary": {"by_set": Each({name: _STAT for name in metrics.METRICS})},
    "comparison?": {
        "a": str,
        "b": str,
        "pairs": list,
        "deltas": {name: _DELTA for name in metrics.METRICS},
    },
    "config?": dict,
    "environment?": dict,
    "timings?": {
        "summary?": {
            "tries": int,
            "tries_per_s": _NUMBER,
            **{key: _TIMING for key in ("hook_ms", "oracle_ms", "overhead_ms")},
        }
    },
}


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


def write_run(out: Path, run: Mapping[str, Any], key: Mapping[str, Any]) -> Path:
    path = run_file(out, run["scenario"], run["set"], run["epoch"])
    write_json(path, {"schema": RUN_SCHEMA, "key": dict(key), "run": dict(run)})
    return path


def read_run(path: Path, key: Mapping[str, Any]) -> dict[str, Any] | None:
    """A finished run from an earlier invocation, if it was made with the same ``key``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("schema") != RUN_SCHEMA or data.get("key") != key:
        return None
    run = data.get("run")
    return run if isinstance(run, dict) else None


def document(
    runs: Iterable[Mapping[str, Any]], config: Mapping[str, Any], environment: Mapping[str, Any]
) -> dict[str, Any]:
    ordered = sorted(runs, key=lambda r: (r["scenario"], r["set"], r["epoch"]))
    timings = [
        {"scenario": r["scenario"], "set": r["set"], "epoch": r["epoch"], **r["timings"]}
        for r in ordered
    ]
    bare = [{k: v for k, v in r.items() if k != "timings"} for r in ordered]
    for run in bare:
        run["by_decision"] = metrics.by_decision(run)
    return {
        "schema": SCHEMA,
        "version": __version__,
        "config": dict(config),
        "runs": bare,
        "summary": metrics.set_summary(bare),
        "timings": {"runs": timings, "summary": timing_summary(timings)},
        "environment": dict(environment),
    }


def timing_summary(timings: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Hook latency, oracle time and the simulator's own overhead per try (ms)."""
    rows = [a for t in timings for a in t["attempts"] if a["commit_ms"] > 0]
    wall = sum(t["wall_s"] for t in timings)

    def describe(name: str) -> dict[str, float]:
        values = [a[name] for a in rows]
        if not values:
            return {"mean": 0.0, "median": 0.0, "max": 0.0}
        return {
            "mean": round(statistics.fmean(values), 3),
            "median": round(statistics.median(values), 3),
            "max": round(max(values), 3),
        }

    return {
        "tries": len(rows),
        "hook_ms": describe("commit_ms"),
        "oracle_ms": describe("oracle_ms"),
        "overhead_ms": describe("overhead_ms"),
        "wall_s": round(wall, 3),
        "tries_per_s": round(len(rows) / wall, 3) if wall else 0.0,
    }


def comparable(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The document without what legitimately varies between equal runs."""
    return {k: v for k, v in doc.items() if k not in ("timings", "environment")}


def _unsummarised_set(doc: Mapping[str, Any]) -> str | None:
    """A run whose set has no summary (the report shows every run's set)."""
    by_set = doc["summary"]["by_set"]
    for index, run in enumerate(doc["runs"]):
        if run["set"] not in by_set:
            return f"runs[{index}].set: {run['set']!r} has no entry in summary.by_set"
    return None


def load(path: Path) -> dict[str, Any]:
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
    wrong = problem(data, SHAPE) or _unsummarised_set(data)
    if wrong:
        raise CharterError(
            f"{file}: not a valid {SCHEMA} document: {wrong}; regenerate it with "
            "'charter sim run' or 'charter sim compare'"
        )
    return data
