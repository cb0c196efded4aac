"""A/B of two constraint sets: runs paired by scenario and epoch (the same seed)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from charter.hooks.errors import CharterError
from charter.simulator import stats
from charter.simulator.metrics import METRICS
from charter.simulator.records import Comparison, Delta, Run


def paired(runs: Iterable[Run], a: str, b: str, seed: int) -> Comparison:
    """Per metric, the mean of B - A over (scenario, epoch) pairs with a bootstrap 95% CI."""
    by_key = {(r.scenario, r.set_name, r.epoch): r for r in runs}
    pairs = sorted((s, e) for (s, name, e) in by_key if name == a and (s, b, e) in by_key)
    if not pairs:
        raise CharterError(f"no runs of both sets {a!r} and {b!r} on the same scenario and epoch")
    deltas: dict[str, Delta] = {}
    for metric in METRICS:
        left = [float(by_key[(s, a, e)].metrics[metric]) for s, e in pairs]
        right = [float(by_key[(s, b, e)].metrics[metric]) for s, e in pairs]
        boot = stats.paired_bootstrap(left, right, zlib.crc32(f"{seed}:{metric}".encode()))
        deltas[metric] = Delta(
            a=round(stats.mean(left), 6),
            b=round(stats.mean(right), 6),
            delta=boot.delta,
            low=boot.low,
            high=boot.high,
            n=boot.n,
        )
    return Comparison(a=a, b=b, pairs=tuple(pairs), deltas=deltas)
