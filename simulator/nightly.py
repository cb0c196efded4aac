"""The nightly loop: a replay that learns. After every window of N judged tasks, the
escaped violations so far (the oracle flagged them, the set let them land) propose the
oracle's rules that caught them (``charter learn --from-results``, in-run), and those
that pass the threshold are adopted: committed into the decisions in force for the
tasks that follow. The run is labelled ``<set>+learning`` so that its drift can be set
beside the same set's run without learning (``charter sim loop``).

The threshold (documented in docs/learn.md): a rule is adopted when its back-test on
the tasks so far caught at least ``MIN_CAUGHT`` escaped violations with a false-block
rate at most ``MAX_FALSE_RATE``. For the oracle's own rule the false-block rate on
the oracle's labels is zero by construction, so the test that matters is "caught".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from charter.simulator import adoption
from charter.simulator.records import LearnedRule, TaskResult
from charter.simulator.scenario import Scenario

SUFFIX = "+learning"
MIN_CAUGHT = 1
MAX_FALSE_RATE = 1 / 3


@dataclass
class Loop:
    """One run's learning state (owned by the run loop; never passed on)."""

    every: int
    oracle: tuple[adoption.Adopted, ...]
    set_ids: frozenset[str]
    judged: int = 0
    escaped: Counter[str] = field(default_factory=Counter)
    learned: tuple[LearnedRule, ...] = ()

    @classmethod
    def of(cls, scenario: Scenario, set_name: str, every: int | None) -> Loop | None:
        if every is None or scenario.mode != "chained":
            return None
        in_set = adoption.adoption_points(scenario.constraint_set(set_name))
        return cls(
            every, adoption.adoption_points(scenario.oracle), frozenset(p.decision for p in in_set)
        )

    def after(self, record: TaskResult, iteration: int) -> None:
        """Count what ``record`` let escape; at the end of a window, adopt."""
        if record.outcome in ("context", "context-diverged"):
            return
        self.judged += 1
        for attempt in record.attempts:
            if attempt.escaped:
                self.escaped.update({v.decision for v in attempt.oracle})
        if self.judged % self.every == 0:
            self._adopt(record.id, iteration)

    def _adopt(self, task: str, iteration: int) -> None:
        have = {rule.decision for rule in self.learned} | self.set_ids
        for decision, caught in sorted(self.escaped.items()):
            # Caught on the oracle's labels; false blocks none: the oracle's own rule.
            if decision in have or caught < MIN_CAUGHT:
                continue
            rule = LearnedRule(
                decision=decision, after_task=task, iteration=iteration, escaped=caught
            )
            self.learned = (*self.learned, rule)

    def adopted(self) -> tuple[adoption.Adopted, ...]:
        names = {rule.decision for rule in self.learned}
        return tuple(p for p in self.oracle if p.decision in names)
