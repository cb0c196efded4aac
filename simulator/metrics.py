"""Metrics of one run, and per constraint set over epochs (means, 95% intervals).

Per try (an applied, staged, committed attempt): the oracle's violations (introduced),
blocked (the hooks rejected it), escaped (it landed while the oracle flags it), false
block (rejected with no oracle violation). Diverged tries and infra errors are counted
apart and never as blocks.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

from charter.simulator import stats
from charter.simulator.records import (
    GOVERNANCE,
    Attempt,
    DecisionCounts,
    DriftPoint,
    Recurrence,
    RuleCounts,
    Run,
    ScenarioSummary,
    Stat,
    Summary,
    TaskResult,
    Violation,
)

#: Metrics that are means over epochs in summaries, in display order.
METRICS = (
    "tasks",
    "landed",
    "solved",
    "abandoned",
    "bypassed",
    "diverged",
    "task_errors",
    "tries",
    "retries",
    "divergences",
    "blocked",
    "true_blocks",
    "false_blocks",
    "governance_blocks",
    "escaped",
    "introduced_violations",
    "caught_violations",
    "escaped_violations",
    "final_violations",
    "final_cycle_edges",
    "final_layer_breaking_edges",
    "final_unit_edges",
    "infra_errors",
)

#: The whole tree at the end of a run, with no rule (simulator/architecture.py).
FINAL_ARCHITECTURE = {
    "final_cycle_edges": "cycle_edges",
    "final_layer_breaking_edges": "layer_breaking_edges",
    "final_unit_edges": "unit_edges",
}

#: Metrics of a whole run, not of its tasks: compared per scenario, not per task.
RUN_LEVEL = ("final_violations", *FINAL_ARCHITECTURE, "infra_errors")

#: The drift charts: one per measure, each in its own unit (never summed).
DRIFT_MEASURES = {
    "violations": "oracle violations",
    "cycle_edges": "import edges inside cycles",
    "layer_breaking_edges": "layer-breaking edges (units importing each other)",
    "unit_edges": "coupling: import edges between units",
    "instability": "mean instability of the units, Ce/(Ca+Ce)",
    "misplaced_files": "files out of place (oracle)",
    "waivers": "inline waivers",
    "baseline": "baseline entries",
}


def run_metrics(
    tasks: Sequence[TaskResult], drift: Sequence[DriftPoint], infra_errors: int
) -> dict[str, int]:
    # Context tasks (history no agent wrote) land unjudged: they are no task of the A/B.
    tasks = [t for t in tasks if not t.outcome.startswith("context")]
    tries = [a for t in tasks for a in t.attempts if a.verdict not in ("diverged", "empty")]
    counts = {o: sum(t.outcome == o for t in tasks) for o in ("landed", "abandoned")}
    return {
        "tasks": len(tasks),
        **counts,
        "solved": sum(t.solved is True for t in tasks),
        "bypassed": sum(t.outcome == "bypassed" for t in tasks),
        "diverged": sum(t.outcome == "diverged" for t in tasks),
        "task_errors": sum(t.outcome == "error" for t in tasks),
        "tries": len(tries),
        "retries": sum(t.retries for t in tasks),
        "divergences": sum(a.verdict == "diverged" for t in tasks for a in t.attempts),
        "blocked": sum(a.blocked for a in tries),
        "true_blocks": sum(a.blocked and bool(a.oracle) for a in tries),
        "false_blocks": sum(a.false_block for a in tries),
        "governance_blocks": sum(governed(a) for a in tries),
        "escaped": sum(a.escaped for a in tries),
        "introduced_violations": sum(len(a.oracle) for a in tries),
        "caught_violations": sum(len(a.oracle) for a in tries if a.blocked),
        "escaped_violations": sum(len(a.oracle) for a in tries if a.landed),
        "final_violations": drift[-1].violations if drift else 0,
        **{name: _final(drift, field) for name, field in FINAL_ARCHITECTURE.items()},
        "infra_errors": infra_errors,
    }


def _final(drift: Sequence[DriftPoint], field: str) -> int:
    last = drift[-1].architecture if drift else None
    return int(getattr(last, field)) if last is not None else 0


def drift_value(point: DriftPoint, measure: str) -> float:
    """One drift measure of a point (DRIFT_MEASURES); 0 when it was not measured."""
    if measure in DriftPoint.model_fields and measure != "architecture":
        return float(getattr(point, measure))
    return float(getattr(point.architecture, measure, 0)) if point.architecture else 0.0


def task_metrics(task: TaskResult) -> dict[str, int]:
    """The metrics of one task (the run-level ones are 0: see RUN_LEVEL)."""
    return run_metrics((task,), (), 0)


def by_decision(
    tasks: Sequence[TaskResult], drift: Sequence[DriftPoint]
) -> dict[str, DecisionCounts]:
    """Per oracle decision: violations introduced, caught (blocked), escaped, final."""
    table: dict[str, dict[str, int]] = defaultdict(
        lambda: {"introduced": 0, "caught": 0, "escaped": 0, "final": 0}
    )
    for task in tasks:
        for attempt in task.attempts:
            for violation in attempt.oracle:
                row = table[violation.decision]
                row["introduced"] += 1
                row["caught"] += attempt.blocked
                row["escaped"] += attempt.landed
    if drift:
        for decision, count in drift[-1].by_decision.items():
            table[decision]["final"] = count
    return {k: DecisionCounts(**table[k]) for k in sorted(table)}


#: The rule of a rejection no ``check --staged`` finding explains: the commit-msg stage.
COMMIT_MSG_STAGE = "commit-msg stage (a diff-level kind or governance)"


def governed(attempt: Attempt) -> bool:
    """Governance blocked the try (a weakened decision, a new waiver): counted apart."""
    return attempt.blocked and any(v.kind == GOVERNANCE for v in attempt.blocked_by)


def rule_label(v: Violation) -> str:
    """``ADR-0012/2 (kind)``: a constraint id already names its decision."""
    rule = (
        v.constraint
        if v.constraint.startswith(f"{v.decision}/")
        else (f"{v.decision}/{v.constraint}")
    )
    return f"{rule} ({v.kind})"


def blocking_rules(attempt: Attempt) -> list[str]:
    """Each rule (decision/constraint, kind) that blocked a rejected try, once."""
    return sorted({rule_label(v) for v in attempt.blocked_by}) or [COMMIT_MSG_STAGE]


def by_rule(tasks: Sequence[TaskResult]) -> dict[str, RuleCounts]:
    """Per rule of the set: the tries it blocked, true (the oracle flags the try), false,
    or governance's. A try two rules blocked counts for both."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for task in tasks:
        for attempt in task.attempts:
            if not attempt.blocked:
                continue
            label = "true_blocks" if attempt.oracle else "false_blocks"
            if governed(attempt) and not attempt.oracle:
                label = "governance_blocks"
            for rule in blocking_rules(attempt):
                table[rule]["blocks"] += 1
                table[rule][label] += 1
    return {k: RuleCounts(**table[k]) for k in sorted(table)}


def recurrence(
    tasks: Sequence[TaskResult], adopted_at: Mapping[str, str | None]
) -> dict[str, Recurrence]:
    """Per decision with an adoption point: how often a judged task broke it before the
    guard was adopted and after (from each try's ``guards``), and how often it landed."""
    table: dict[str, Recurrence] = {}
    for decision, first in sorted(adopted_at.items()):
        counts = {"tasks": [0, 0], "broke": [0, 0], "landed": [0, 0]}
        after = 0
        for task in tasks:
            after = 1 if after or task.id == first else 0
            if task.outcome in ("context", "context-diverged"):
                continue
            broke = [a for a in task.attempts if any(v.decision == decision for v in a.guards)]
            counts["tasks"][after] += 1
            counts["broke"][after] += bool(broke)
            counts["landed"][after] += any(a.landed for a in broke)
        table[decision] = Recurrence(
            adopted_at=first,
            tasks_before=counts["tasks"][0],
            before=counts["broke"][0],
            landed_before=counts["landed"][0],
            tasks_after=counts["tasks"][1],
            after=counts["broke"][1],
            landed_after=counts["landed"][1],
        )
    return table


def set_summary(runs: Iterable[Run]) -> Summary:
    """Per (scenario, set) and per set over all scenarios: mean and 95% interval."""
    groups: dict[tuple[str, str], list[Run]] = defaultdict(list)
    for run in runs:
        groups[(run.scenario, run.set_name)].append(run)
    per_scenario = tuple(
        ScenarioSummary(scenario=s, set_name=k, metrics=_summarise(group))
        for (s, k), group in sorted(groups.items())
    )
    per_set: dict[str, list[Run]] = defaultdict(list)
    for (_, name), group in groups.items():
        per_set[name].extend(group)
    return Summary(
        by_scenario=per_scenario,
        by_set={name: _summarise(group) for name, group in sorted(per_set.items())},
    )


def _summarise(runs: Sequence[Run]) -> dict[str, Stat]:
    # .get: results written before a metric existed lack it (it was not measured: 0).
    return {name: stats.summary([float(r.metrics.get(name, 0)) for r in runs]) for name in METRICS}


def filled_drift(run: Run, measure: str = "violations") -> list[float]:
    """One drift measure of the whole tree after iterations 0..N (carried over when
    none landed)."""
    last = max([t.iteration for t in run.tasks] + [0])
    measured = {p.iteration: drift_value(p, measure) for p in run.drift}
    series: list[float] = []
    current = measured.get(0, 0.0)
    for iteration in range(last + 1):
        current = measured.get(iteration, current)
        series.append(current)
    return series


def drift_series(runs: Iterable[Run], measure: str = "violations") -> dict[str, list[float]]:
    """The mean of one drift measure after each iteration, per set (over epochs)."""
    per_set: dict[str, list[list[float]]] = defaultdict(list)
    for run in runs:
        per_set[run.set_name].append(filled_drift(run, measure))
    out: dict[str, list[float]] = {}
    for name, series in sorted(per_set.items()):
        length = max(len(s) for s in series)
        padded = [s + [s[-1]] * (length - len(s)) for s in series if s]
        out[name] = [stats.mean([s[i] for s in padded]) for i in range(length)]
    return out
