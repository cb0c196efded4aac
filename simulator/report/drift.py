"""The report's drift charts: per scenario, one chart per measure (each in its own unit,
never summed), one line per set. Independent-mode scenarios get a sentence instead:
their tasks each start from their own base, so no tree accumulates them."""

from __future__ import annotations

import html
from collections.abc import Sequence

from charter.simulator import metrics
from charter.simulator.records import Run
from charter.simulator.report.charts import line_chart


def _scenario(runs: Sequence[Run], scenario: str) -> str:
    mine = [r for r in runs if r.scenario == scenario]
    name = html.escape(scenario)
    if mine and all(r.mode == "independent" for r in mine):
        return (
            f'<div class="drift" data-scenario="{name}"><h3>{name}</h3><p class="note">'
            "Independent mode: each task starts from its own base, so drift does not "
            "apply.</p></div>"
        )
    charts, flat = [], []
    for measure, label in metrics.DRIFT_MEASURES.items():
        series = metrics.drift_series(mine, measure)
        if not any(v for values in series.values() for v in values):
            flat.append(label)
            continue
        charts.append(
            f'<div class="chart-box" data-measure="{measure}">'
            + line_chart(f"{scenario}: {label}", series, y_label=measure.replace("_", " "))
            + "</div>"
        )
    note = f'<p class="note">Zero throughout: {html.escape(", ".join(flat))}.</p>' if flat else ""
    return f'<div class="drift" data-scenario="{name}"><h3>{name}</h3>{"".join(charts)}{note}</div>'


def section(runs: Sequence[Run], scenarios: Sequence[str]) -> str:
    return "\n".join(
        [
            '<h2 id="drift">Drift over iterations</h2>',
            '<p class="note">The whole tree after each landed task, mean over epochs: by '
            "the oracle, and by architecture metrics that need no rule (import cycles, "
            "units importing each other, coupling and instability of the root package's "
            "children). Each measure in its own chart and unit.</p>",
            *(_scenario(runs, s) for s in scenarios),
        ]
    )
