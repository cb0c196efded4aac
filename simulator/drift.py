"""The drift series: the whole tree measured after each landed task, by the oracle and
by rule-free architecture metrics (simulator/architecture.py)."""

from __future__ import annotations

from collections import Counter

from charter.hooks.kinds import acyclic, file_placement, layers
from charter.simulator import architecture
from charter.simulator.records import DriftPoint
from charter.simulator.workspace import Workspace


def measure(ws: Workspace, iteration: int, task: str | None) -> DriftPoint:
    """One point: oracle violations by decision, layer edges, cycles, misplaced files,
    waivers (inline ``# charter: allow``) and the repository's baseline size."""
    report = ws.oracle_all()
    violations = report.violations
    kinds = Counter(v.kind for v in violations)
    return DriftPoint(
        iteration=iteration,
        task=task,
        violations=len(violations),
        by_decision=dict(sorted(Counter(v.decision for v in violations).items())),
        layer_edges=kinds[layers.KIND.name],
        cycles=kinds[acyclic.KIND.name],
        misplaced_files=kinds[file_placement.KIND.name],
        waivers=ws.waivers(),
        waived=report.waived,
        baseline=ws.baseline_size(),
        architecture=architecture.measure(ws.python_files()),
    )
