"""A/B of two constraint sets, paired at the task level (the unit that varies).

Runs are paired by scenario and epoch (the same seed); inside a pair, each task of A is
paired with the same task of B. A task's difference is its mean over epochs, so the
epochs of a deterministic replay (identical copies) count once and never narrow an
interval. The interval is a cluster bootstrap: scenarios, then their tasks. A run with
an infra error did not complete: it is quarantined (named in ``excluded``), never paired.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

from charter.hooks.errors import CharterError
from charter.simulator import stats
from charter.simulator.metrics import METRICS, RUN_LEVEL, task_metrics
from charter.simulator.records import Comparison, Delta, Run

#: (scenario, unit) -> the (A, B) values of each metric, one pair per epoch.
Units = dict[tuple[str, str], list[tuple[dict[str, int], dict[str, int]]]]


def quarantined(runs: Iterable[Run]) -> tuple[str, ...]:
    """The runs that did not complete, each with its first cause."""
    return tuple(
        f"{r.scenario} / {r.set_name} / epoch {r.epoch}: {r.infra_errors[0]}"
        for r in runs
        if r.infra_errors
    )


def paired(runs: Iterable[Run], a: str, b: str, seed: int) -> Comparison:
    """Per metric, B - A summed over a scenario's tasks and averaged over scenarios, with
    a cluster-bootstrap 95% interval and the per-task difference detectable at 80%."""
    listed = [r for r in runs if r.set_name in (a, b)]
    excluded = quarantined(listed)
    by_key = {(r.scenario, r.set_name, r.epoch): r for r in listed if not r.infra_errors}
    pairs = sorted((s, e) for (s, name, e) in by_key if name == a and (s, b, e) in by_key)
    if not pairs:
        why = f" ({len(excluded)} incomplete run(s) excluded)" if excluded else ""
        raise CharterError(
            f"no complete runs of both sets {a!r} and {b!r} on the same scenario and epoch{why}"
        )
    task_units, run_units = _units(by_key, pairs, a, b)
    deltas: dict[str, Delta] = {}
    power: dict[str, float | None] = {}
    for metric in METRICS:
        units = run_units if metric in RUN_LEVEL else task_units
        deltas[metric], power[metric] = _delta(
            units, metric, zlib.crc32(f"{seed}:{metric}".encode())
        )
    return Comparison(
        a=a,
        b=b,
        pairs=tuple(pairs),
        deltas=deltas,
        unit="task",
        scenarios=len({s for s, _ in pairs}),
        excluded=excluded,
        detectable=power,
    )


def _units(
    by_key: dict[tuple[str, str, int], Run], pairs: Sequence[tuple[str, int]], a: str, b: str
) -> tuple[Units, Units]:
    """Each task's (A, B) metrics per epoch; and each scenario's run-level ones."""
    tasks: Units = defaultdict(list)
    whole: Units = defaultdict(list)
    for scenario, epoch in pairs:
        left, right = by_key[(scenario, a, epoch)], by_key[(scenario, b, epoch)]
        ours = {(t.id, t.iteration): t for t in left.tasks}
        theirs = {(t.id, t.iteration): t for t in right.tasks}
        for key in sorted(ours.keys() | theirs.keys()):
            # A task one side never reached counts zero there (it did nothing).
            va = task_metrics(ours[key]) if key in ours else dict.fromkeys(METRICS, 0)
            vb = task_metrics(theirs[key]) if key in theirs else dict.fromkeys(METRICS, 0)
            tasks[(scenario, f"{key[0]}@{key[1]}")].append((va, vb))
        whole[(scenario, "")].append((left.metrics, right.metrics))
    return tasks, whole


def _delta(units: Units, metric: str, seed: int) -> tuple[Delta, float | None]:
    """The delta of one metric over the units, and the detectable per-unit difference."""
    clusters_a: dict[str, list[float]] = defaultdict(list)
    clusters_d: dict[str, list[float]] = defaultdict(list)
    for (scenario, _), epochs in sorted(units.items()):
        a = stats.mean([float(va.get(metric, 0)) for va, _ in epochs])
        b = stats.mean([float(vb.get(metric, 0)) for _, vb in epochs])
        clusters_a[scenario].append(a)
        clusters_d[scenario].append(b - a)
    boot = stats.cluster_bootstrap(list(clusters_d.values()), seed)
    mean_a = stats.mean([sum(c) for c in clusters_a.values()])
    flat = [d for c in clusters_d.values() for d in c]
    mde = stats.detectable(flat)
    delta = Delta(
        a=round(mean_a, 6),
        b=round(mean_a + boot.delta, 6),
        delta=boot.delta,
        low=boot.low,
        high=boot.high,
        n=boot.n,
    )
    return delta, None if mde is None else round(mde, 6)
