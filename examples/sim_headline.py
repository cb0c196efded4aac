"""The headline of a ``charter sim compare`` results file, then a Markdown table.

    python examples/sim_headline.py RESULTS.json

First the sentence the report opens with (totals over the scenarios, 95% cluster-
bootstrap intervals); then per scenario the totals under A and B and B - A paired by
task with its 95% interval. ``make demo`` prints it after its comparison.
"""

from __future__ import annotations

import sys
from pathlib import Path

from charter.simulator import compare, results
from charter.simulator.records import Comparison, Results
from charter.simulator.report import headline

COLUMNS = {
    "caught_violations": "violations blocked",
    "escaped_violations": "violations escaped",
    "false_blocks": "false blocks",
    "abandoned": "tasks lost",
    "retries": "retries",
}
#: Shown when the scenarios declare a success test (a task's ``solved`` is written).
SOLVED = {"solved": "tasks solved"}


def _row(label: str, comparison: Comparison, columns: dict[str, str]) -> list[str]:
    rows = []
    for side, name in (("a", comparison.a), ("b", comparison.b)):
        cells = [f"{getattr(comparison.deltas[m], side):.3g}" for m in columns]
        rows.append(f"| {label} | {name} | " + " | ".join(cells) + " |")
    deltas = [comparison.deltas[m] for m in columns]
    cells = [f"{d.delta:+.2g} [{d.low:+.2g}, {d.high:+.2g}]" for d in deltas]
    rows.append(f"| {label} | B − A [95% CI] | " + " | ".join(cells) + " |")
    return rows


def table(doc: Results) -> str:
    assert doc.comparison is not None
    a, b = doc.comparison.a, doc.comparison.b
    judged = any(t.solved is not None for r in doc.runs for t in r.tasks)
    columns = {**COLUMNS, **(SOLVED if judged else {})}
    lines = [
        "| scenario | set | " + " | ".join(columns.values()) + " |",
        "|---|---|" + "---:|" * len(columns),
    ]
    for name in doc.config.scenarios:
        runs = [r for r in doc.runs if r.scenario == name]
        lines.extend(_row(name, compare.paired(runs, a, b, doc.config.seed), columns))
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python examples/sim_headline.py RESULTS.json\n")
        return 2
    doc = results.load(Path(argv[0]))
    if doc.comparison is None:
        sys.stderr.write(f"{argv[0]}: not the results of 'charter sim compare'\n")
        return 2
    sys.stdout.write(f"{headline.sentence(doc.comparison, doc.runs)}\n\n{table(doc)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
