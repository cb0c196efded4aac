"""The back-test of learned guards on history: "train on the past, test on the future".

Each guard is adopted at the point it could first have been written (its fix commit;
what already holds, at the start of the range) and judged, with Charter's own engine, on
every first-parent commit after that point: the findings a commit introduces against its
parent are the blocks the guard would have made. A block whose finding is gone at the end
of the range is *caught* (the project undid that change itself: a real violation by its
own judgement); one still there is a *false block* (the project kept the change: the
guard would have stopped work the team wanted). The cost is the commits blocked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from charter.hooks.decisions.active import ActiveConstraint
from charter.hooks.findings import Finding
from charter.hooks.settings import Settings
from charter.hooks.source.cache import Cache
from charter.simulator.learn.records import BackTest, Hit, Learned, Point
from charter.simulator.learn.render import decision_text


@dataclass(frozen=True)
class Judged:
    """What one commit introduced, per guard (by the guard's position)."""

    commit: Point
    findings: tuple[tuple[int, Finding], ...]


def backtest(
    settings: Settings, history: Sequence[Point], learned: Sequence[Learned], cache_dir: Path
) -> list[Learned]:
    """``learned`` with their back-tests on ``history`` (the range's first-parent points)."""
    if not learned:
        return []
    rules = compile_all(learned)
    cache = Cache(cache_dir)
    starts = [_start(history, item) for item in learned]
    judged = [
        _judge(settings, history[i - 1], history[i], i, rules, cache, starts)
        for i in range(1, len(history))
    ]
    tip = _present(settings, history[-1], rules, cache)
    results = []
    for index, item in enumerate(learned):
        hits = [
            Hit(j.commit, f"{f.path}:{f.line}: {f.message}", _kept(index, f, tip))
            for j in judged
            for g, f in j.findings
            if g == index
        ]
        test = BackTest(
            judged=len(history) - 1 - starts[index],
            caught=tuple(h for h in hits if not h.kept),
            false_blocks=tuple(h for h in hits if h.kept),
        )
        results.append(replace(item, backtest=test))
    return results


def _kept(index: int, finding: Finding, present: set[tuple[int, str, str]]) -> bool:
    """Whether the change a block would have stopped is still in the tree at the tip.
    A diff-level hit is kept unless the file is back to what it was before it."""
    if finding.key.startswith("changed-from:"):
        restored = (index, finding.path, finding.key) in present
        return not restored
    return (index, finding.path, finding.key) in present


def _start(history: Sequence[Point], item: Learned) -> int:
    """The position in ``history`` of the guard's adoption point (0: the start)."""
    if item.adopted is None:
        return 0
    return next((i for i, p in enumerate(history) if p.sha == item.adopted.sha), 0)


def compile_all(learned: Sequence[Learned]) -> list[list[ActiveConstraint]]:
    """Each guard as the constraints Charter enforces (accepted, for the back-test)."""
    from charter.hooks.decisions import catalog, load

    compiled = []
    for index, item in enumerate(learned):
        text = decision_text(item, f"LEARN-{index + 1:04d}", "accepted")
        parsed = load.parse_text(text, f"learned-{index + 1}.md")
        assert parsed.file is not None, parsed.problems  # our own rendering: always valid
        built, _ = catalog.build([parsed.file], [])
        compiled.append(list(built.active()))
    return compiled


def _judge(
    settings: Settings,
    parent: Point,
    commit: Point,
    position: int,
    rules: Sequence[Sequence[ActiveConstraint]],
    cache: Cache,
    starts: Sequence[int],
) -> Judged:
    """The findings ``commit`` (at ``position`` in the history) introduces against its
    parent, for each guard adopted before it."""
    from charter.hooks import engine
    from charter.hooks.kinds import CHANGE_KINDS, change_findings
    from charter.hooks.source.changes import changes
    from charter.hooks.source.snapshot import Commit

    before, after = Commit(settings.root, parent.sha), Commit(settings.root, commit.sha)
    found: list[tuple[int, Finding]] = []
    for index, active in enumerate(rules):
        if position <= starts[index]:
            continue  # not adopted yet: the guard did not exist when this was written
        snapshot_kinds = [a for a in active if a.kind not in CHANGE_KINDS]
        diff_kinds = [a for a in active if a.kind in CHANGE_KINDS]
        if snapshot_kinds:
            new, _ = engine.run(after, snapshot_kinds, settings, cache)
            old, _ = engine.run(before, snapshot_kinds, settings, cache)
            known = {(f.path, f.key) for f in old}
            found.extend((index, f) for f in new if (f.path, f.key) not in known)
        if diff_kinds:
            for finding in change_findings(diff_kinds, changes(before, after)):
                kept = _blob(settings.root, parent.sha, finding.path)
                found.append((index, replace(finding, key=f"changed-from:{kept}")))
    return Judged(commit, tuple(found))


def _present(
    settings: Settings, tip: Point, rules: Sequence[Sequence[ActiveConstraint]], cache: Cache
) -> set[tuple[int, str, str]]:
    """What is still in the tree at the end of the range: (guard, path, key) of each
    finding, and for diff-level guards each file as it is at the tip."""
    from charter.hooks import engine
    from charter.hooks.kinds import CHANGE_KINDS
    from charter.hooks.source.snapshot import Commit

    current = Commit(settings.root, tip.sha)
    present: set[tuple[int, str, str]] = set()
    for index, active in enumerate(rules):
        snapshot_kinds = [a for a in active if a.kind not in CHANGE_KINDS]
        if snapshot_kinds:
            found, _ = engine.run(current, snapshot_kinds, settings, cache)
            present.update((index, f.path, f.key) for f in found)
        for rule in (a for a in active if a.kind in CHANGE_KINDS):
            for path in getattr(rule.constraint, "paths", ()) or ():
                # Changed since the blocked commit's parent and not restored: kept.
                present.add((index, path, f"changed-from:{_blob(settings.root, tip.sha, path)}"))
    return present


def _blob(root: Path, rev: str, path: str) -> str:
    from charter.hooks.source import git

    found = git.optional(root, "rev-parse", "--verify", "-q", f"{rev}:{path}")
    return found.decode().strip() if found else "absent"
