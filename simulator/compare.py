"""A/B of two constraint sets: runs paired by scenario and epoch (the same seed)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping
from typing import Any

from charter.hooks.errors import CharterError
from charter.simulator import stats
from charter.simulator.metrics import METRICS


def paired(runs: Iterable[Mapping[str, Any]], a: str, b: str, seed: int) -> dict[str, Any]:
    """Per metric, the mean of B - A over (scenario, epoch) pairs with a bootstrap 95% CI."""
    by_key = {(r["scenario"], r["set"], r["epoch"]): r for r in runs}
    pairs = sorted((s, e) for (s, name, e) in by_key if name == a and (s, b, e) in by_key)
    if not pairs:
        raise CharterError(f"no runs of both sets {a!r} and {b!r} on the same scenario and epoch")
    deltas: dict[str, Any] = {}
    for metric in METRICS:
        left = [float(by_key[(s, a, e)]["metrics"][metric]) for s, e in pairs]
        right = [float(by_key[(s, b, e)]["metrics"][metric]) for s, e in pairs]
        metric_seed = zlib.crc32(f"{seed}:{metric}".encode())
        deltas[metric] = {
            "a": round(stats.mean(left), 6),
            "b": round(stats.mean(right), 6),
            **stats.paired_bootstrap(left, right, metric_seed),
        }
    return {"a": a, "b": b, "pairs": [list(p) for p in pairs], "deltas": deltas}
