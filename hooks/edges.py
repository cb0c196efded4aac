"""One finding per new import edge, for the transitive import rules.

A new import that links two parts of the graph breaks a transitive rule once for every
module whose chains now run through it: one new line in ``httpx/_models.py`` gave four
findings located in four files nobody touched. Among the findings a change introduces,
those of one constraint whose chains share a step are one problem: the first step they
all share is the import that opened the chains (the steps before it differ, so they
existed already). The group is reported once, at that import, with one chain shown and
the count of the others.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from charter.hooks.findings import Finding


def _steps(finding: Finding) -> list[str]:
    """The ``module:line`` steps of a chain (the last element is only the target)."""
    return [step for step in finding.chain[:-1] if ":" in step]


def by_edge(findings: Sequence[Finding], modules: Mapping[str, str]) -> list[Finding]:
    """``findings`` with each group of chains through one import merged at that import.

    ``modules``: module name -> repository-relative path (the snapshot's module index).
    """
    out = [f for f in findings if not f.chain]
    remaining = [f for f in findings if f.chain]
    while remaining:
        first = remaining[0]
        peers = [f for f in remaining[1:] if f.constraint == first.constraint]
        steps = _steps(first)
        # the import most of its peers' chains pass through; the earliest one on a tie
        shares = [sum(step in _steps(peer) for peer in peers) for step in steps]
        if not steps or max(shares) == 0:
            out.append(first)
            remaining.remove(first)
            continue
        step = steps[shares.index(max(shares))]
        group = [first, *(peer for peer in peers if step in _steps(peer))]
        remaining = [f for f in remaining if f not in group]
        out.append(_merged(group, step, modules))
    return sorted(out, key=Finding.sort_key)


def _merged(group: Sequence[Finding], step: str, modules: Mapping[str, str]) -> Finding:
    lead = min(group, key=Finding.sort_key)
    module, _, line = step.rpartition(":")
    chain = lead.chain[lead.chain.index(step) :]
    others = len(group) - 1
    return replace(
        lead,
        path=modules.get(module, lead.path),
        line=int(line) if line.isdigit() else lead.line,
        col=1,
        message=(
            f"{lead.message}; this import opens the chain below and "
            f"{others} other{'s' if others != 1 else ''} like it"
        ),
        key=f"edge:{step}",
        chain=chain,
        severity="error" if any(f.severity == "error" for f in group) else "warning",
    )
