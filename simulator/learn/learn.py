"""``charter learn``'s application function: gather proposals from the sources asked
for, back-test them on the history, write them as ``proposed`` decision records."""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from charter.hooks.errors import CharterError
from charter.hooks.settings import Settings
from charter.simulator.learn import history
from charter.simulator.learn.backtest import backtest
from charter.simulator.learn.escaped import learn_from_escapes
from charter.simulator.learn.fixes import learn_from_fix
from charter.simulator.learn.records import Learned, Point
from charter.simulator.learn.render import decision_text


@dataclass(frozen=True)
class LearnRequest:
    repo: Path
    range_: str | None  # A..B: fix commits, and the history of every back-test
    results: Path | None  # a charter sim results document
    oracle: Path | None  # the oracle of those results
    holds: bool  # also what already holds at the end of the range (charter init's)
    out: Path


def learn(request: LearnRequest) -> list[Learned]:
    """Every proposal, back-tested when a range is given, in the order found."""
    from charter.hooks import settings as settings_module

    settings = settings_module.load(request.repo)[0]
    points: list[Point] = []
    found: list[Learned] = []
    if request.range_ is not None:
        points = history.first_parent(settings.root, request.range_)
        found += _from_history(settings, points)
    if request.results is not None:
        if request.oracle is None:
            raise CharterError("--from-results needs --oracle DIR: the oracle of that run")
        found += learn_from_escapes(request.results, request.oracle)
    if request.holds:
        found += _holds(settings, points[-1] if points else None)
    found = _merged(found)
    if points:
        with tempfile.TemporaryDirectory(prefix="charter-learn-") as cache:
            found = backtest(settings, points, found, Path(cache))
    return found


def _from_history(settings: Settings, points: Sequence[Point]) -> list[Learned]:
    from charter.hooks.source import git

    states = [history.state(settings, p) for p in points]
    found: list[Learned] = []
    for before, after in itertools.pairwise(states):
        message = git.message(settings.root, after.point.sha)
        found += learn_from_fix(settings.root, before, after, message)
    return found


def _holds(settings: Settings, tip: Point | None) -> list[Learned]:
    """What already holds (``charter init``'s inference), at ``tip`` or in the tree."""
    from charter.hooks.adopt.infer import propose
    from charter.hooks.source.cache import Cache
    from charter.hooks.source.snapshot import Commit, Snapshot, WorkTree
    from charter.hooks.view import SnapshotView

    snapshot: Snapshot = Commit(settings.root, tip.sha) if tip else WorkTree(settings.root)
    view = SnapshotView(snapshot, settings, Cache(None))
    return [Learned(p, "holds", None) for p in propose(view)]


def _merged(found: Sequence[Learned]) -> list[Learned]:
    """One proposal per rule: the first (earliest adoption), with every evidence line."""
    by_slug: dict[str, Learned] = {}
    for item in found:
        first = by_slug.get(item.proposal.slug)
        if first is None:
            by_slug[item.proposal.slug] = item
            continue
        evidence = (*first.proposal.evidence, *item.proposal.evidence)
        by_slug[item.proposal.slug] = replace(
            first, proposal=replace(first.proposal, evidence=evidence)
        )
    return list(by_slug.values())


def write(found: Sequence[Learned], out: Path) -> list[Path]:
    """Each proposal as ``NNNN-<slug>.md`` in ``out`` (numbered after what is there);
    a proposal whose slug is there already is left as it is."""
    from charter.hooks.adopt.records import existing, next_number

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for item in found:
        if existing(out, item.proposal.slug) is not None:
            continue
        number = next_number(out)
        path = out / f"{number:04d}-{item.proposal.slug}.md"
        path.write_text(decision_text(item, f"ADR-{number:04d}", "proposed"), encoding="utf-8")
        written.append(path)
    return written
