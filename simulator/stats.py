"""Means, 95% intervals, the paired and the cluster bootstrap, and the power statement
(stdlib only, explicit seeds; tests/test_sim_stats.py checks each against scipy)."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import NamedTuple

from charter.simulator.records import Stat

_Z975, _Z80 = 1.959963984540054, 0.8416212335729143


def t_quantile(z: float, df: int) -> float:
    """Student's t quantile matching the normal quantile ``z`` (Cornish-Fisher to
    1/df^3: within 0.2% of the exact value from one degree of freedom up to infinity for
    the 80% and 97.5% quantiles used here, except df 1-2 which are tabulated)."""
    if df <= 2:
        return {(1, _Z975): 12.706205, (2, _Z975): 4.302653, (1, _Z80): 1.376382,
                (2, _Z80): 1.060660}[(df, z)]  # fmt: skip
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def ci95(values: Sequence[float]) -> tuple[float, float]:
    """Student-t 95% interval of the mean; (m, m) for fewer than two values."""
    m = mean(values)
    n = len(values)
    if n < 2:
        return (m, m)
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))
    half = t_quantile(_Z975, n - 1) * sd / math.sqrt(n)
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


def _percentiles(means: list[float]) -> tuple[float, float]:
    means.sort()
    last = len(means) - 1
    return means[int(0.025 * last)], means[math.ceil(0.975 * last)]


def cluster_bootstrap(
    clusters: Sequence[Sequence[float]], seed: int, resamples: int = 2000
) -> Bootstrap:
    """The mean over clusters (scenarios) of each cluster's total over its units (tasks),
    with a two-stage percentile-bootstrap 95% interval: scenarios are drawn with
    replacement, then the tasks of each drawn scenario. Resampling the tasks is what
    lets three scenarios give an interval wider than the min-max of their three totals.
    """
    clusters = [list(c) for c in clusters if c]
    k = len(clusters)
    if k == 0:
        return Bootstrap(0.0, 0.0, 0.0, 0)
    rng = random.Random(seed)
    stats: list[float] = []
    for _ in range(resamples):
        total = 0.0
        for _ in range(k):
            units = clusters[rng.randrange(k)]
            total += sum(units[rng.randrange(len(units))] for _ in units)
        stats.append(total / k)
    low, high = _percentiles(stats)
    estimate = mean([sum(c) for c in clusters])
    return Bootstrap(round(estimate, 6), round(low, 6), round(high, 6), sum(map(len, clusters)))


def detectable(values: Sequence[float]) -> float | None:
    """The smallest mean paired difference per unit that a two-sided paired t-test at
    the 5% level detects with 80% power, given these per-unit differences' spread
    (None for fewer than two units)."""
    n = len(values)
    if n < 2:
        return None
    m = mean(values)
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (n - 1))
    return (t_quantile(_Z975, n - 1) + t_quantile(_Z80, n - 1)) * sd / math.sqrt(n)
