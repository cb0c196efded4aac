"""The headline numbers of a ``charter sim compare`` results file, as a Markdown table.

    python examples/sim_headline.py RESULTS.json

Per scenario: the means over epochs under A and B, and B - A paired by epoch (the same
seed) with its 95% bootstrap interval; then all scenarios pooled (paired by scenario and
epoch). ``make demo`` prints it after its comparison; the README quotes it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from charter.simulator import compare, results
from charter.simulator.stats import mean

COLUMNS = {
    "caught_violations": "violations blocked",
    "escaped_violations": "violations escaped",
    "false_blocks": "false blocks",
    "retries": "retries",
    "final_violations": "drift at the end",
}


def _delta(deltas: dict[str, Any]) -> list[str]:
    cells = []
    for metric in COLUMNS:
        d = deltas[metric]
        cells.append(f"{d['delta']:+.2g} [{d['low']:+.2g}, {d['high']:+.2g}]")
    return cells


def table(doc: dict[str, Any]) -> str:
    comparison = doc["comparison"]
    a, b, seed = comparison["a"], comparison["b"], doc["config"]["seed"]
    lines = [
        "| scenario | set | " + " | ".join(COLUMNS.values()) + " |",
        "|---|---|" + "---:|" * len(COLUMNS),
    ]
    for name in doc["config"]["scenarios"]:
        runs = [r for r in doc["runs"] if r["scenario"] == name]
        for set_name in (a, b):
            picked = [r["metrics"] for r in runs if r["set"] == set_name]
            cells = [f"{mean([float(m[k]) for m in picked]):.3g}" for k in COLUMNS]
            lines.append(f"| {name} | {set_name} | " + " | ".join(cells) + " |")
        deltas = compare.paired(runs, a, b, seed)["deltas"]
        lines.append(f"| {name} | {b} − {a} [95% CI] | " + " | ".join(_delta(deltas)) + " |")
    pooled = _delta(comparison["deltas"])
    lines.append(f"| all ({len(comparison['pairs'])} pairs) | {b} − {a} [95% CI] | ")
    lines[-1] += " | ".join(pooled) + " |"
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python examples/sim_headline.py RESULTS.json\n")
        return 2
    doc = results.load(Path(argv[0]))
    if "comparison" not in doc:
        sys.stderr.write(f"{argv[0]}: not the results of 'charter sim compare'\n")
        return 2
    config = doc["config"]
    sys.stdout.write(
        f"agent {config['agent']}, policy {config['policy']['name']}, seed {config['seed']}, "
        f"{config['epochs']} epoch(s); means over epochs:\n\n{table(doc)}\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
