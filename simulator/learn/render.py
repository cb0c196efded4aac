"""A learned guard as a decision record: ``status: proposed``, ``adopted:`` at the point
it could first have been written, an Evidence section and its back-test in numbers."""

from __future__ import annotations

import yaml

from charter.simulator.learn.records import BackTest, Learned

SOURCES = {
    "fix-commit": "a fix commit in the history",
    "escaped": "violations that escaped the set under test (the oracle flagged them)",
    "holds": "what already holds in the repository (the inference of `charter init`)",
}


def decision_text(item: Learned, ident: str, status: str) -> str:
    """The record of ``item`` with id ``ident``."""
    proposal = item.proposal
    constraint: dict[str, object] = {"kind": proposal.kind}
    constraint.update(proposal.fields)
    front: dict[str, object] = {
        "id": ident,
        "title": proposal.title,
        "status": status,
        "tags": list(proposal.tags),
    }
    if item.adopted is not None:
        front["adopted"] = item.adopted.sha
    front["constraints"] = [constraint]
    text = yaml.safe_dump(front, sort_keys=False, default_flow_style=None, width=100)
    evidence = "\n".join(f"- {line}" for line in proposal.evidence)
    return (
        f"---\n{text}---\n# {ident}: {proposal.title}\n\n"
        f"## Context\n\nProposed by `charter learn` from {SOURCES[item.source]}. Review "
        "it, then accept it (`status: accepted`) or delete the file.\n\n"
        f"## Evidence\n\n{evidence}\n\n"
        f"## Back-test\n\n{backtest_text(item)}\n"
    )


def backtest_text(item: Learned) -> str:
    test = item.backtest
    if test is None:
        return "Not back-tested: no history was given (`--from-history REPO --range A..B`).\n"
    since = f"since {item.adopted.cite()}" if item.adopted else "since the start of the range"
    lines = [
        f"Adopted {since}, on the {test.judged} commits after it: {summary(test)}.",
        "",
        *(f"- caught: {h.commit.cite()}: {h.detail}" for h in test.caught),
        *(f"- false block (kept): {h.commit.cite()}: {h.detail}" for h in test.false_blocks),
    ]
    if test.false_blocks and test.false_block_rate > 1 / 3:
        lines += ["", f"**High false-block rate: {test.false_block_rate:.0%}.**"]
    return "\n".join(lines).rstrip() + "\n"


def summary(test: BackTest) -> str:
    return (
        f"caught {len(test.caught)}, false blocks {len(test.false_blocks)} "
        f"({test.false_block_rate:.0%}), cost {test.cost} of {test.judged} commits"
    )
