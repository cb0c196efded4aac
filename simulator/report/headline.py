"""The one sentence a comparison answers with, for the text summary, the HTML report and
``make demo``: what B catches that A does not, and what it costs, as totals over the
scenarios with their 95% intervals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from charter.simulator.records import Comparison, Delta, Run


def _total(d: Delta, k: int) -> tuple[float, float, float]:
    return d.delta * k, d.low * k, d.high * k


def _ci(low: float, high: float) -> str:
    return f"95% CI {low:+.1f} to {high:+.1f}"


def _sources(runs: Sequence[Run], set_name: str) -> str:
    """The rules of ``set_name`` behind its false blocks, most first."""
    counts: Counter[str] = Counter()
    for run in runs:
        if run.set_name == set_name and not run.infra_errors:
            counts.update({rule: c.false_blocks for rule, c in run.by_rule.items()})
    named = [rule for rule, n in counts.most_common() if n]
    return f", from {', '.join(named[:2])}" if named else ""


def _count(n: float, noun: str) -> str:
    """``1 false block``, ``2 false blocks``: the count rounded, the noun agreeing."""
    shown = f"{n:.0f}"
    return f"{shown} {noun}" if shown in ("1", "-1") else f"{shown} {noun}s"


def sentence(comparison: Comparison, runs: Sequence[Run] = ()) -> str:
    """E.g. "strict blocks 8 more of the 35 violations agents introduced than baseline
    (95% CI +5.0 to +11.0) and costs 7 of 53 tasks (…) and 6 false blocks (…)"."""
    a, b, deltas = comparison.a, comparison.b, comparison.deltas
    k = max(comparison.scenarios, 1)
    caught, c_low, c_high = _total(deltas["caught_violations"], k)
    introduced = deltas["introduced_violations"].a * k
    lost, l_low, l_high = _total(deltas["abandoned"], k)
    tasks = deltas["tasks"].a * k
    false_b, f_low, f_high = _total(deltas["false_blocks"], k)
    more = "more" if caught >= 0 else "fewer"
    costs = "costs" if lost >= 0 else "saves"
    text = (
        f"{b} blocks {abs(caught):.0f} {more} of the {introduced:.0f} violations the "
        f"agents introduced than {a} ({_ci(c_low, c_high)}), {costs} {abs(lost):.0f} of "
        f"{tasks:.0f} tasks ({_ci(l_low, l_high)}) and adds {_count(false_b, 'false block')} "
        f"({_ci(f_low, f_high)}{_sources(runs, b)})"
    )
    governance = deltas.get("governance_blocks")
    if governance is not None and round(governance.delta * k):
        text += f"; {governance.delta * k:+.0f} governance blocks (counted apart)"
    if comparison.excluded:
        text += f"; PARTIAL: {len(comparison.excluded)} incomplete run(s) left out"
    return text + "."
