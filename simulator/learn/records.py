"""What ``charter learn`` passes around: a learned guard, its evidence and its back-test."""

from __future__ import annotations

from dataclasses import dataclass

from charter.hooks.adopt.infer import Proposal


@dataclass(frozen=True)
class Point:
    """A commit of the history: its id, date (ISO) and subject."""

    sha: str
    date: str
    subject: str

    def cite(self) -> str:
        return f"{self.sha[:10]} ({self.date}, {self.subject[:70]})"


@dataclass(frozen=True)
class Hit:
    """A commit the guard would have blocked, and whether the project kept the change."""

    commit: Point
    detail: str  # the finding, as Charter reports it
    kept: bool  # still in the tree at the end of the range: the team wanted it


@dataclass(frozen=True)
class BackTest:
    """The guard judged on the history after its adoption point ("train on the past,
    test on the future"): ``caught`` are blocks of changes the project itself undid
    later (a real violation by its own judgement), ``false_blocks`` blocks of changes
    it kept; ``cost`` the commits (tasks) it would have blocked."""

    judged: int  # commits after the adoption point
    caught: tuple[Hit, ...]
    false_blocks: tuple[Hit, ...]

    @property
    def cost(self) -> int:
        return len({h.commit.sha for h in (*self.caught, *self.false_blocks)})

    @property
    def false_block_rate(self) -> float:
        blocks = len(self.caught) + len(self.false_blocks)
        return len(self.false_blocks) / blocks if blocks else 0.0


@dataclass(frozen=True)
class Learned:
    """A proposed guard: the constraint (the ``charter init`` record shape), where it
    came from, the point it could first have been written, and its back-test."""

    proposal: Proposal
    source: str  # fix-commit | escaped | holds
    adopted: Point | None  # None: adopted at the start (what already holds)
    backtest: BackTest | None = None

    @property
    def passes(self) -> bool:
        """Caught at least one real violation, and at most one block in three false."""
        test = self.backtest
        return test is not None and bool(test.caught) and test.false_block_rate <= MAX_FALSE_RATE


#: The threshold of :attr:`Learned.passes` (and of the nightly loop's adoption).
MAX_FALSE_RATE = 1 / 3
