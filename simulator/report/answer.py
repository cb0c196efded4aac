"""The report's answer, under its headline: benefit and cost side by side, as rates.

Benefit: the share of the violations the agents introduced that a set caught (and let
escape). Cost: the share of the tasks it lost, false blocks and governance blocks per
try, retries per task. Rates are totals over the complete runs (each (scenario, set)
averaged over its epochs first); colour follows the sign of good and bad: green where B
does better than A, red where it does worse.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from charter.simulator.records import Comparison, Run


@dataclass(frozen=True)
class Rate:
    label: str
    numerator: str
    denominator: str
    higher_is_better: bool
    percent: bool = True  # a share (42% (5/12)); else a mean per unit (0.25)

    def of(self, values: dict[str, float]) -> float | None:
        bottom = values.get(self.denominator, 0.0)
        return values.get(self.numerator, 0.0) / bottom if bottom else None

    def text(self, values: dict[str, float]) -> str:
        value = self.of(values)
        if value is None:
            return "–"
        if not self.percent:
            return f"{value:.2f}"
        top, bottom = values.get(self.numerator, 0.0), values.get(self.denominator, 0.0)
        return f"{value:.0%} ({top:g}/{bottom:g})"

    def change(self, a: float, b: float) -> str:
        return f"{(b - a) * 100:+.0f} pts" if self.percent else f"{b - a:+.2f}"


BENEFIT = (
    Rate("violations caught", "caught_violations", "introduced_violations", True),
    Rate("violations escaped", "escaped_violations", "introduced_violations", False),
)
COST = (
    Rate("tasks lost", "abandoned", "tasks", False),
    Rate("false blocks per try", "false_blocks", "tries", False),
    Rate("governance blocks per try", "governance_blocks", "tries", False),
    Rate("retries per task", "retries", "tasks", False, percent=False),
)


def totals(runs: Sequence[Run], set_name: str) -> dict[str, float]:
    """Each metric summed over the scenarios, averaged over each scenario's epochs."""
    per: dict[str, list[Run]] = defaultdict(list)
    for run in runs:
        if run.set_name == set_name and not run.infra_errors:
            per[run.scenario].append(run)
    out: dict[str, float] = defaultdict(float)
    for group in per.values():
        for metric in group[0].metrics:
            out[metric] += sum(r.metrics.get(metric, 0) for r in group) / len(group)
    return out


def _table(
    title: str,
    rates: Sequence[Rate],
    a: dict[str, float],
    b: dict[str, float],
    names: Sequence[str],
) -> str:
    rows = []
    for rate in rates:
        ra, rb = rate.of(a), rate.of(b)
        cls, change = "", "–"
        if ra is not None and rb is not None:
            change = rate.change(ra, rb)
            if abs(rb - ra) > 1e-9:
                cls = " better" if (rb > ra) == rate.higher_is_better else " worse"
        rows.append(
            f"<tr><th>{html.escape(rate.label)}</th>"
            f'<td class="n">{html.escape(rate.text(a))}</td>'
            f'<td class="n">{html.escape(rate.text(b))}</td>'
            f'<td class="n{cls}" data-rate="{html.escape(rate.numerator)}">{change}</td></tr>'
        )
    head = "".join(f"<th>{html.escape(h)}</th>" for h in (title, *names, "B − A"))
    return (
        f'<table class="{title.lower()}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def section(comparison: Comparison, runs: Sequence[Run]) -> str:
    a, b = totals(runs, comparison.a), totals(runs, comparison.b)
    names = (comparison.a, comparison.b)
    return (
        '<div class="answer">'
        + _table("Benefit", BENEFIT, a, b, names)
        + _table("Cost", COST, a, b, names)
        + "</div>"
        + '<p class="note">Rates over the complete runs: totals over the scenarios, '
        "means over epochs. Green: B does better than A; red: worse.</p>"
    )
