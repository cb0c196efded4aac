"""The HTML report: one self-contained page (inline CSS and SVG; no scripts, no links out).

Sections: the configuration, the per-set summary (means with 95% intervals), the A/B
deltas when the results hold a comparison, the drift over iterations per scenario (one
line per set), the per-decision table and the per-task outcomes.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from collections.abc import Sequence

from charter.simulator import metrics
from charter.simulator.records import Comparison, Results, RuleValue, Run
from charter.simulator.report import answer, drift, recurrence

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:3px 8px}
th{background:#f3f3f3;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.chart text{font-size:11px}.chart .chart-title{font-size:13px;font-weight:600}
.landed{background:#e6f4e6}.abandoned{background:#fbe9e7}.bypassed{background:#fff4d6}
.diverged,.error{background:#eee}.note{color:#666}.better{color:#1a7f37}.worse{color:#b42318}
.headline{font-size:1.25em;font-weight:600;margin:1em 0}
.answer{display:flex;gap:2em;flex-wrap:wrap}.answer table{margin:0}
.chart-box{display:inline-block;vertical-align:top}
.partial{background:#fff4e5;border:2px solid #b54708;padding:.5em 1em;margin:1em 0}
"""
LOWER_IS_BETTER = {
    "abandoned", "diverged", "task_errors", "retries", "false_blocks", "escaped",
    "escaped_violations", "final_violations", "infra_errors", "divergences", "bypassed",
    "final_cycle_edges", "final_layer_breaking_edges", "final_unit_edges",
}  # fmt: skip
#: Neither good nor bad by their sign (more blocks are good when true, bad when false).
NEUTRAL = {"tasks", "tries", "blocked", "introduced_violations", "governance_blocks"}


def _e(value: object) -> str:
    return html.escape(str(value))


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "") -> str:
    header = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'


def _cell(value: object, numeric: bool = False, cls: str = "") -> str:
    classes = " ".join(c for c in ("n" if numeric else "", cls) if c)
    return f'<td class="{classes}">{_e(value)}</td>' if classes else f"<td>{_e(value)}</td>"


def render(
    doc: Results, title: str = "Charter simulator report", marginal: Sequence[RuleValue] = ()
) -> str:
    """The answer first (partial-run banner, headline, benefit and cost, per-rule
    attribution), then the evidence (deltas, drift, per-task grid, per decision), then
    the raw summary, the configuration and the timings."""
    runs = doc.runs
    sets = sorted({r.set_name for r in runs})
    scenarios = sorted({r.scenario for r in runs})
    comparison = doc.comparison
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        _partial_banner(doc),
        _headline(doc),
        answer.section(comparison, runs) if comparison is not None else "",
        _rules(runs, sets),
        _marginal(marginal),
        recurrence.html_table(runs),
        _comparison(comparison) if comparison is not None else "",
        drift.section(runs, scenarios),
        _tasks(runs, sets, scenarios),
        _decisions(runs, sets),
        _summary(doc, sets),
        _configuration(doc, sets, scenarios),
        _timings(doc),
        "</body></html>\n",
    ]
    return "\n".join(p for p in parts if p)


def _headline(doc: Results) -> str:
    if doc.comparison is None:
        return ""
    from charter.simulator.report import headline

    return f'<p class="headline">{_e(headline.sentence(doc.comparison, doc.runs))}</p>'


def _partial_banner(doc: Results) -> str:
    """A run that did not complete is no answer: say so before anything else."""
    from charter.simulator.compare import quarantined

    incomplete = quarantined(doc.runs)
    if not incomplete:
        return ""
    items = "".join(f"<li>{_e(line)}</li>" for line in incomplete)
    return (
        '<div class="partial" role="alert"><strong>Partial results: '
        f"{len(incomplete)} run(s) did not complete</strong> and are left out of the A/B."
        f"<ul>{items}</ul></div>"
    )


def _configuration(doc: Results, sets: list[str], scenarios: list[str]) -> str:
    config, policy = doc.config, doc.config.policy
    rows: list[tuple[str, object]] = [
        ("schema", f"{doc.schema_} (Charter {doc.version})"),
        ("scenarios", ", ".join(scenarios)),
        ("constraint sets", ", ".join(sets)),
        ("epochs", config.epochs),
        ("seed", config.seed),
        ("agent", config.agent),
        (
            "policy",
            f"{policy.name} (p_repair {policy.p_repair}, p_bypass {policy.p_bypass})",
        ),
        ("sandbox", doc.environment.sandbox),
    ]
    notice = doc.environment.notice
    return (
        "<h2>Configuration</h2>"
        + _table(["", ""], [[f"<th>{_e(k)}</th>", _cell(v)] for k, v in rows])
        + (f'<p class="note">{_e(notice)}</p>' if notice else "")
    )


def _summary(doc: Results, sets: list[str]) -> str:
    by_set = doc.summary.by_set
    rows = []
    for metric in metrics.METRICS:
        if any(metric not in by_set[name] for name in sets):
            continue  # results written before the metric existed
        row = [f"<th>{_e(metric)}</th>"]
        for name in sets:
            s = by_set[name][metric]
            interval = f" [{_num(s.low)}, {_num(s.high)}]" if s.n > 1 else ""
            row.append(_cell(f"{_num(s.mean)}{interval}", numeric=True))
        rows.append(row)
    return (
        "<h2>Summary per constraint set</h2>"
        '<p class="note">Means per run over scenarios and epochs, with 95% intervals.</p>'
        + _table(["metric", *sets], rows, "summary")
    )


def _comparison(comparison: Comparison) -> str:
    a, b = comparison.a, comparison.b
    rows = []
    for metric in (m for m in metrics.METRICS if m in comparison.deltas):
        d = comparison.deltas[metric]
        cls = ""
        if (d.low > 0 or d.high < 0) and metric not in NEUTRAL:
            better = (d.delta < 0) == (metric in LOWER_IS_BETTER)
            cls = "better" if better else "worse"
        rows.append(
            [
                f"<th>{_e(metric)}</th>",
                _cell(_num(d.a), True),
                _cell(_num(d.b), True),
                _cell(f"{d.delta:+.2f}", True, cls),
                _cell(f"[{d.low:+.2f}, {d.high:+.2f}]", True),
            ]
        )
    return (
        f"<h2>A/B: {_e(a)} → {_e(b)}</h2>"
        f'<p class="note">Paired by {_e(comparison.unit)} within {len(comparison.pairs)} '
        "(scenario, epoch) pairs of the same seed; B − A per scenario; 95% intervals by a "
        "cluster bootstrap (scenarios, then tasks). Coloured: the interval excludes 0.</p>"
        + _table(["metric", f"A: {a}", f"B: {b}", "B − A", "95% interval"], rows, "deltas")
    )


def _decisions(runs: Sequence[Run], sets: list[str]) -> str:
    totals: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    count = Counter(r.set_name for r in runs)
    for run in runs:
        for decision, counts in run.by_decision.items():
            totals[decision][run.set_name].update(counts.model_dump())
    head = ["decision"] + [
        f"{s}: {c}" for s in sets for c in ("introduced", "caught", "escaped", "final")
    ]
    rows = []
    for decision in sorted(totals):
        row = [f"<th>{_e(decision)}</th>"]
        for name in sets:
            # Totals over the scenarios, means over the epochs (not over the scenarios).
            n = max(count[name] / max(len({r.scenario for r in runs}), 1), 1)
            for column in ("introduced", "caught", "escaped", "final"):
                row.append(_cell(_num(totals[decision][name][column] / n), True))
        rows.append(row)
    if not rows:
        return "<h2>Per decision</h2><p>The oracle flagged nothing.</p>"
    return (
        "<h2>Per decision</h2>"
        '<p class="note">Oracle violations, totals over the scenarios (means over epochs): '
        "introduced by tries, caught (blocked), escaped (landed), and in the final tree.</p>"
        + _table(head, rows, "decisions")
    )


def _marginal(values: Sequence[RuleValue]) -> str:
    """Leave one out: what each rule of B alone is worth (``--leave-one-out``)."""
    if not values:
        return ""
    columns = (("caught_violations", "better"), ("false_blocks", "worse"),
               ("governance_blocks", ""), ("abandoned", "worse"), ("retries", "worse"))  # fmt: skip
    rows = [
        [f"<th>{_e(v.rule)}</th>"]
        + [_cell(f"{getattr(v, c):+d}", True, cls if getattr(v, c) else "") for c, cls in columns]
        for v in values
    ]
    return (
        f'<h2>Each rule\'s marginal value (leave one out)</h2><p class="note">'
        f"{_e(values[0].set_name)} minus {_e(values[0].set_name)} without the rule, summed "
        "over the scenarios (epoch 0): what only that rule catches and costs.</p>"
        + _table(
            ["rule", "caught", "false blocks", "governance", "lost tasks", "retries"],
            rows,
            "marginal",
        )
    )


#: The per-rule columns, coloured by what they mean (true blocks are the benefit).
RULE_COLUMNS = (
    ("blocks", ""),
    ("true_blocks", "better"),
    ("false_blocks", "worse"),
    ("governance_blocks", ""),
)


def _rules(runs: Sequence[Run], sets: list[str]) -> str:
    """Per rule of each set: the tries it blocked, true and false (totals over the
    scenarios, means over epochs)."""
    totals: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    epochs = Counter((r.scenario, r.set_name) for r in runs)
    for run in runs:
        for rule, counts in run.by_rule.items():
            for column, value in counts.model_dump().items():
                totals[(run.set_name, rule)][column] += value / epochs[(run.scenario, run.set_name)]
    rows = [
        [_cell(name), f"<th>{_e(rule)}</th>"]
        + [
            _cell(_num(totals[(name, rule)][c]), True, cls if totals[(name, rule)][c] else "")
            for c, cls in RULE_COLUMNS
        ]
        for name, rule in sorted(totals)
    ]
    if not rows:
        return "<h2>Per rule</h2><p>No set blocked a try.</p>"
    return (
        "<h2>Per rule</h2>"
        '<p class="note">The rules that blocked each rejected try (from the JSON of '
        "<code>charter check --staged</code> and <code>charter commit-msg</code>); true: "
        "the oracle flags the try, false: it does not; governance: a weakened decision or "
        "a new waiver, counted apart.</p>"
        + _table(["set", "rule", "blocks", "true", "false", "governance"], rows, "rules")
    )


def _tasks(runs: Sequence[Run], sets: list[str], scenarios: list[str]) -> str:
    parts = ["<h2>Per-task outcomes</h2>"]
    for scenario in scenarios:
        outcomes: dict[tuple[int, str], dict[str, Counter[str]]] = defaultdict(
            lambda: defaultdict(Counter)
        )
        recorded: dict[tuple[int, str], str] = {}
        tries: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        solved: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        judged: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for run in runs:
            if run.scenario != scenario:
                continue
            for task in run.tasks:
                key = (task.iteration, task.id)
                outcomes[key][run.set_name][task.outcome] += 1
                tries[key][run.set_name] += len(task.attempts)
                if task.solved is not None:  # the scenario's success test judged it
                    solved[key][run.set_name] += 1 if task.solved else 0
                    judged[key][run.set_name] += 1
                recorded[key] = task.recorded_outcome or ""
        rows = []
        for key in sorted(outcomes):
            row = [_cell(key[0], True), f"<th>{_e(key[1])}</th>", _cell(recorded[key])]
            for name in sets:
                counter = outcomes[key][name]
                text = ", ".join(
                    f"{o} {c}" if len(counter) > 1 else o for o, c in sorted(counter.items())
                )
                main = counter.most_common(1)[0][0] if counter else ""
                if judged[key][name]:
                    text += f", solved {solved[key][name]}/{judged[key][name]}"
                row.append(_cell(f"{text} ({tries[key][name]} tries)", cls=main))
            rows.append(row)
        parts.append(f"<h3>{_e(scenario)}</h3>")
        parts.append(_table(["#", "task", "recorded", *sets], rows, "tasks"))
    return "\n".join(parts)


def _timings(doc: Results) -> str:
    summary = doc.timings.summary
    rows = [
        [f"<th>{_e(name)}</th>", _cell(_num(spread.mean), True),
         _cell(_num(spread.median), True)]
        for name, spread in (
            ("hook latency (git commit with the hooks), ms", summary.hook_ms),
            ("oracle check, ms", summary.oracle_ms),
            ("simulator overhead (reset, apply, stage), ms", summary.overhead_ms),
        )
    ]  # fmt: skip
    return (
        "<h2>Timings</h2>"
        f'<p class="note">{summary.tries} tries, {summary.tries_per_s} tries/s.</p>'
        + _table(["per try", "mean", "median"], rows)
    )
