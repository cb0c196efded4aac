"""The plain-text summary ``charter sim run`` and ``compare`` print: metrics per set,
timings, and the A/B deltas of a comparison."""

from __future__ import annotations

from charter.simulator.metrics import METRICS
from charter.simulator.records import Results
from charter.simulator.report import headline, recurrence


def summary(doc: Results) -> str:
    by_set = doc.summary.by_set
    sets = sorted(by_set)
    width = max(len(m) for m in METRICS)
    lines = [f"{'metric':<{width}}  " + "  ".join(f"{s:>14}" for s in sets)]
    for metric in METRICS:
        cells = "  ".join(f"{by_set[s][metric].mean:>14.2f}" for s in sets)
        lines.append(f"{metric:<{width}}  {cells}")
    timing = doc.timings.summary
    lines.append(
        f"per try: hooks {timing.hook_ms.median:.0f} ms, oracle "
        f"{timing.oracle_ms.median:.0f} ms, simulator overhead "
        f"{timing.overhead_ms.median:.0f} ms (medians); {timing.tries_per_s} tries/s"
    )
    lines.extend(recurrence.text_lines(doc.runs))
    comparison = doc.comparison
    if comparison is not None:
        lines.append(headline.sentence(comparison, doc.runs))
        for line in comparison.excluded:
            lines.append(f"INCOMPLETE, left out of the A/B: {line}")
        lines.append(
            f"B - A ({comparison.b} - {comparison.a}) per scenario, paired by {comparison.unit}, "
            "95% cluster-bootstrap interval; detectable per task at 80% power:"
        )
        for metric in (m for m in METRICS if m in comparison.deltas):  # older results: fewer
            d = comparison.deltas[metric]
            mde = comparison.detectable.get(metric)
            power = f"  (detectable: {mde:.2f})" if mde is not None else ""
            lines.append(
                f"  {metric:<{width}}  {d.delta:+8.2f}  [{d.low:+.2f}, {d.high:+.2f}]{power}"
            )
    return "\n".join(lines)
