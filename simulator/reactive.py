"""The reactive agent: a behavioural model whose choices depend on what the set does.

Its first try of a task is the recorded first attempt. When the set under test blocks a
try, it reads what the hooks said (the set's findings on the staged change) and, with the
probabilities of :class:`~charter.simulator.agent_params.AgentParams`:

1. bypasses (``--no-verify``) — more likely the more wrong blocks it has met in the run;
2. else gives up once it has used its budget of tries;
3. else repairs: the recorded repair (the next recorded attempt) when the scenario has
   one, else ``charter fix`` where a finding is fixable, else a minimal repair that
   reverts only the hunks holding a flagged line (never the rest of the work); a repair
   that fails (drawn, or no repair exists) resubmits the same change.

A set that accepts a try ends the task there (a laxer set lets the first attempt land).
Every draw comes from one generator seeded by (seed, scenario, set, epoch, iteration,
task), so runs are reproducible and outcomes differ between sets and between seeds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from charter.simulator.agent_params import AgentParams
from charter.simulator.agents import Proposal, Step, recorded
from charter.simulator.records import Attempt
from charter.simulator.scenario import Scenario, Task
from charter.simulator.workspace import Flag, Workspace


class ReactiveAgent:
    name = "reactive"
    decides_alone = True  # no counterfactual policy: give-up and bypass are its own

    def __init__(self, seed: str, params: AgentParams) -> None:
        self.seed = seed
        self.params = params
        self.wrong_blocks = 0  # met so far in this run: distrust of the set grows with it
        self.task: Task | None = None
        self.rng = random.Random(seed)
        self.next_recorded = 0
        self.current: Proposal | None = None
        self.last: Attempt | None = None

    def schedule(self, scenario: Scenario) -> Iterator[Step]:
        for index, task in enumerate(scenario.tasks, start=1):
            yield Step(index, task)

    def begin(self, step: Step) -> None:
        self.task = step.task
        self.rng = random.Random(f"{self.seed}:{step.iteration}:{step.task.id}")
        self.next_recorded = 0
        self.current = None
        self.last = None

    def observe(self, attempt: Attempt) -> None:
        self.last = attempt
        if attempt.false_block:
            self.wrong_blocks += 1

    def propose(self, ws: Workspace, number: int, feedback: str | None) -> Proposal | None:
        task = self.task
        assert task is not None
        if number == 1 or self.last is None or self.last.verdict != "rejected":
            # The first try, or the last one did not reach the hooks (diverged, empty):
            # the next recorded attempt, if any.
            return self._recorded(task)
        assert self.current is not None
        if self.rng.random() < self.params.p_bypass(self.wrong_blocks):
            return Proposal("bypass", self.current.message, no_verify=True)
        if number > self.params.budget:
            return None
        flags = ws.set_flags(self.current.message)
        remedy = any(f.remedy for f in flags)
        context = ws.context_decisions(sorted({f.path for f in flags if f.path}))
        in_context = any(f.decision in context for f in flags)
        if self.rng.random() < self.params.p_repair(remedy, in_context):
            repaired = self._repair(ws, task, flags)
            if repaired is not None:
                return repaired
        return self._resubmit()

    def _recorded(self, task: Task) -> Proposal | None:
        if self.next_recorded >= len(task.attempts):
            return None
        self.current = recorded(task, self.next_recorded)
        self.next_recorded += 1
        return self.current

    def _repair(self, ws: Workspace, task: Task, flags: tuple[Flag, ...]) -> Proposal | None:
        """The recorded repair, else the autofix, else the minimal revert; None: none."""
        # A recorded resubmission of the same change is no repair: skip to the next one.
        same = self.current.patch if self.current else None
        while (
            self.next_recorded < len(task.attempts)
            and task.attempts[self.next_recorded].patch.read_bytes() == same
        ):
            self.next_recorded += 1
        if self.next_recorded < len(task.attempts):
            return self._recorded(task)
        message = self.current.message if self.current else task.id
        if ws.has_fix:
            result = ws.charter("fix")
            if result.returncode == 1 and "Fixing " in result.stdout and ws.stage():
                self.current = Proposal("repair:fix", message)
                return self.current
        if ws.revert_flagged(flags) and ws.stage():
            self.current = Proposal("repair:revert", message)
            return self.current
        return None

    def _resubmit(self) -> Proposal:
        """A failed repair: the same change again (still staged when it has no patch)."""
        assert self.current is not None
        current = self.current
        source = f"retry:{current.source}"
        return Proposal(source, current.message, current.patch, current.patch_rel)
