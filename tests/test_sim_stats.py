"""The simulator's statistics, each checked against scipy on known data, and the A/B's
unit of analysis: tasks, with deterministic epochs counted once."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from scipy import stats as sp

from charter.simulator import compare, stats
from charter.simulator.records import Run

GOLDEN = Path(__file__).parent / "data" / "golden" / "sim"
SHIPPED = ("compare-layered-service", "compare-library-policy", "compare-migrations-cochange")


def _normal(n: int, seed: int, mu: float = 1.0, sigma: float = 2.0) -> list[float]:
    rng = random.Random(seed)
    return [rng.gauss(mu, sigma) for _ in range(n)]


@pytest.mark.parametrize("df", [1, 2, 3, 5, 9, 29, 30, 31, 60, 500])
def test_t_quantiles_match_scipy(df: int) -> None:
    assert stats.t_quantile(stats._Z975, df) == pytest.approx(sp.t.ppf(0.975, df), rel=2e-3)
    assert stats.t_quantile(stats._Z80, df) == pytest.approx(sp.t.ppf(0.80, df), rel=2e-3)


@pytest.mark.parametrize("n", [2, 3, 8, 31, 100])
def test_ci95_is_scipys_t_interval(n: int) -> None:
    values = _normal(n, n)
    low, high = stats.ci95(values)
    want = sp.t.interval(0.95, n - 1, loc=sp.tmean(values), scale=sp.sem(values))
    assert (low, high) == pytest.approx(want, rel=2e-3)


def test_paired_bootstrap_matches_scipys_percentile_bootstrap() -> None:
    a, b = _normal(200, 1), _normal(200, 2, mu=1.5)
    ours = stats.paired_bootstrap(a, b, seed=3, resamples=4000)
    deltas = [y - x for x, y in zip(a, b, strict=True)]
    theirs = sp.bootstrap(
        (deltas,), sp.tmean, method="percentile", n_resamples=4000, random_state=3
    ).confidence_interval
    width = theirs.high - theirs.low
    assert ours.delta == pytest.approx(sum(deltas) / len(deltas))
    assert ours.low == pytest.approx(theirs.low, abs=0.1 * width)
    assert ours.high == pytest.approx(theirs.high, abs=0.1 * width)


def test_cluster_bootstrap_of_one_cluster_is_the_bootstrap_of_its_total() -> None:
    units = _normal(150, 4)
    ours = stats.cluster_bootstrap([units], seed=5, resamples=4000)
    theirs = sp.bootstrap(
        (units,), lambda x, axis: x.sum(axis=axis), method="percentile", n_resamples=4000,
        random_state=5,
    ).confidence_interval  # fmt: skip
    width = theirs.high - theirs.low
    assert ours.delta == pytest.approx(sum(units)) and ours.n == 150
    assert ours.low == pytest.approx(theirs.low, abs=0.1 * width)
    assert ours.high == pytest.approx(theirs.high, abs=0.1 * width)


def test_cluster_bootstrap_of_three_scenarios_is_wider_than_their_min_max() -> None:
    # The old percentile bootstrap over 3 scenario totals returned their min-max.
    clusters = [[1.0, 0.0, 2.0, 0.0], [3.0, 0.0, 1.0, 0.0], [0.0, 2.0, 0.0, 0.0]]
    boot = stats.cluster_bootstrap(clusters, seed=1)
    totals = [sum(c) for c in clusters]
    assert boot.delta == pytest.approx(sum(totals) / 3)
    assert boot.low < min(totals) and boot.high > max(totals)


@pytest.mark.parametrize("n", [8, 30, 120])
def test_detectable_difference_has_80_percent_power_by_scipy(n: int) -> None:
    diffs = _normal(n, n, mu=0.0, sigma=1.5)
    mde = stats.detectable(diffs)
    assert mde is not None
    sd = sp.tstd(diffs)
    crit = sp.t.ppf(0.975, n - 1)
    nc = mde / (sd / n**0.5)
    power = sp.nct.sf(crit, n - 1, nc) + sp.nct.cdf(-crit, n - 1, nc)
    assert power == pytest.approx(0.80, abs=0.02)
    assert stats.detectable([1.0]) is None


def _runs(name: str) -> list[Run]:
    doc = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    return [Run.model_validate(r) for r in doc["runs"]]


def test_epochs_of_a_deterministic_replay_do_not_narrow_the_interval() -> None:
    once = [r for name in SHIPPED for r in _runs(name)]
    # --epochs 10 of a deterministic replay: ten identical copies of each run.
    tenfold = [r.model_copy(update={"epoch": e}) for r in once for e in range(10)]
    one = compare.paired(once, "baseline", "strict", seed=7)
    ten = compare.paired(tenfold, "baseline", "strict", seed=7)
    assert len(ten.pairs) == 10 * len(one.pairs)
    assert ten.deltas == one.deltas and ten.detectable == one.detectable
    tasks = sum(len(r.tasks) for r in once if r.set_name == "baseline")
    assert one.deltas["landed"].n == tasks and one.unit == "task" and one.scenarios == 3


def test_an_incomplete_run_is_never_paired() -> None:
    runs = [r for name in SHIPPED for r in _runs(name)]
    broken = runs[1].model_copy(update={"infra_errors": ("run: docker: engine went away",)})
    result = compare.paired([runs[0], broken, *runs[2:]], "baseline", "strict", seed=7)
    assert result.excluded == (
        f"{broken.scenario} / {broken.set_name} / epoch 0: run: docker: engine went away",
    )
    assert broken.scenario not in {s for s, _ in result.pairs} and result.scenarios == 2
