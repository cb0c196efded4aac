"""Means, 95% intervals and the paired bootstrap (stdlib only, explicit seeds)."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import NamedTuple

from charter.simulator.records import Stat

# Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom.
_T95 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def ci95(values: Sequence[float]) -> tuple[float, float]:
    """Student-t 95% interval of the mean; (m, m) for fewer than two values."""
    m = mean(values)
    n = len(values)
    if n < 2:
        return (m, m)
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))
    half = (_T95[n - 2] if n - 1 <= len(_T95) else 1.96) * sd / math.sqrt(n)
    return (m - half, m + half)


def summary(values: Sequence[float]) -> Stat:
    low, high = ci95(values)
    return Stat(mean=round(mean(values), 6), low=round(low, 6), high=round(high, 6), n=len(values))


class Bootstrap(NamedTuple):
    delta: float
    low: float
    high: float
    n: int


def paired_bootstrap(
    a: Sequence[float], b: Sequence[float], seed: int, resamples: int = 2000
) -> Bootstrap:
    """Mean of ``b - a`` over pairs, with a percentile-bootstrap 95% interval."""
    if len(a) != len(b):
        raise ValueError("paired samples must have the same length")
    deltas = [y - x for x, y in zip(a, b, strict=True)]
    n = len(deltas)
    if n == 0:
        return Bootstrap(0.0, 0.0, 0.0, 0)
    rng = random.Random(seed)
    means = sorted(mean([deltas[rng.randrange(n)] for _ in range(n)]) for _ in range(resamples))
    low = means[int(0.025 * (resamples - 1))]
    high = means[math.ceil(0.975 * (resamples - 1))]
    return Bootstrap(round(mean(deltas), 6), round(low, 6), round(high, 6), n)
