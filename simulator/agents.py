"""Agents: who proposes each try of a task.

- :class:`ReplayAgent` proposes the recorded attempts, in order.
- :class:`StochasticAgent` resamples them with a seeded generator: for each iteration it
  works on the next task (cycling; a chained scenario restarts from its base when the
  cycle wraps) and draws how many of the recorded attempts it goes through — from a
  random first one, each next one drawn among the later ones, always ending at the last.
  Same seed, same draws.
- :class:`CommandAgent` runs an external command (``--agent-cmd``) in the work tree with
  the task in its environment; the command edits files, the replay commits them.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from charter.simulator.records import AgentTrace, Attempt
from charter.simulator.scenario import Scenario, Task
from charter.simulator.workspace import Workspace


@dataclass(frozen=True)
class Proposal:
    """One try: a recorded patch to apply, or edits the agent already made (patch None)."""

    source: str
    message: str
    patch: bytes | None = None
    patch_rel: str | None = None
    recorded_outcome: str | None = None
    no_verify: bool = False  # commit with --no-verify: a bypass, lands unjudged
    #: A live agent's try: its log, cost, wall time and exit (the replay adds the diff
    #: and the hooks' output once it has committed).
    trace: AgentTrace | None = None


@dataclass(frozen=True)
class Step:
    iteration: int
    task: Task
    restart: bool = False  # start again from the scenario's base (chained)


class Agent(Protocol):
    name: str
    #: True: the agent decides itself when to give up or bypass (no counterfactual policy).
    decides_alone: bool

    def schedule(self, scenario: Scenario) -> Iterator[Step]: ...

    def begin(self, step: Step) -> None: ...

    def propose(self, ws: Workspace, number: int, feedback: str | None) -> Proposal | None:
        """Try ``number`` (1-based) of the current task; None when the agent gives up."""
        ...

    def observe(self, attempt: Attempt) -> None:
        """What became of the last try (the agent may learn from it)."""
        ...


def recorded(task: Task, index: int) -> Proposal:
    attempt = task.attempts[index]
    return Proposal(
        source=f"recorded:{index + 1}",
        message=attempt.message,
        patch=attempt.patch.read_bytes(),
        patch_rel=attempt.patch_rel,
        recorded_outcome=attempt.outcome,
    )


class EachTaskOnce:
    """The schedule of an agent that works each task once, in order, and learns nothing
    from a try's outcome beyond the feedback it is handed."""

    decides_alone = False

    def __init__(self) -> None:
        self.task: Task | None = None

    def schedule(self, scenario: Scenario) -> Iterator[Step]:
        for index, task in enumerate(scenario.tasks, start=1):
            yield Step(index, task)

    def begin(self, step: Step) -> None:
        self.task = step.task

    def observe(self, attempt: Attempt) -> None:
        pass


class ReplayAgent(EachTaskOnce):
    name = "replay"

    def propose(self, ws: Workspace, number: int, feedback: str | None) -> Proposal | None:
        assert self.task is not None
        if number > len(self.task.attempts):
            return None
        return recorded(self.task, number - 1)


class StochasticAgent:
    name = "stochastic"
    decides_alone = False

    def __init__(self, seed: str, iterations: int | None) -> None:
        self.rng = random.Random(seed)
        self.iterations = iterations
        self.plan: list[int] = []
        self.task: Task | None = None

    def schedule(self, scenario: Scenario) -> Iterator[Step]:
        total = self.iterations or len(scenario.tasks)
        count = len(scenario.tasks)
        for index in range(total):
            restart = index > 0 and index % count == 0 and scenario.mode == "chained"
            yield Step(index + 1, scenario.tasks[index % count], restart)

    def begin(self, step: Step) -> None:
        self.task = step.task
        last = len(step.task.attempts) - 1
        current = self.rng.randint(0, last)
        plan = [current]
        while current < last:
            current = self.rng.randint(current + 1, last)
            plan.append(current)
        self.plan = plan

    def observe(self, attempt: Attempt) -> None:
        pass

    def propose(self, ws: Workspace, number: int, feedback: str | None) -> Proposal | None:
        assert self.task is not None
        if number > len(self.plan):
            return None
        return recorded(self.task, self.plan[number - 1])


class CommandAgent(EachTaskOnce):
    """An external agent: ``sh -c COMMAND`` in the work tree, once per try.

    Its environment: ``CHARTER_TASK_ID``, ``CHARTER_TASK_PROMPT``, ``CHARTER_ATTEMPT``
    (1, 2, ...), ``CHARTER_CONTEXT_FILE`` (the ``charter context --task PROMPT`` output,
    when the installed Charter has that command) and, from the second try,
    ``CHARTER_FEEDBACK_FILE`` (what the hooks said when they rejected the last try);
    ``CHARTER_TRAJECTORY`` (where it may write its log) and ``CHARTER_COST_FILE`` (where
    it may write its cost as a JSON object of numbers): both kept in the results.
    The tree is not reset between tries: the agent repairs its own work. A non-zero exit
    or a timeout means the agent gives up.
    """

    name = "command"

    def __init__(self, command: str, max_tries: int = 3, timeout: float = 600.0) -> None:
        super().__init__()
        self.command = command
        self.max_tries = max_tries
        self.timeout = timeout
        self.exits: list[int] = []

    def propose(self, ws: Workspace, number: int, feedback: str | None) -> Proposal | None:
        task = self.task
        assert task is not None
        if number > self.max_tries:
            return None
        env = {
            "CHARTER_TASK_ID": task.id,
            "CHARTER_TASK_PROMPT": task.prompt,
            "CHARTER_ATTEMPT": str(number),
        }
        if number == 1:
            context = ws.context(task.prompt)
            if context is not None:
                ws.sandbox.write("tmp/context.md", context.encode())
                env["CHARTER_CONTEXT_FILE"] = ws.sandbox.path("tmp/context.md")
        elif ws.sandbox.read("tmp/context.md") is not None:
            env["CHARTER_CONTEXT_FILE"] = ws.sandbox.path("tmp/context.md")
        if feedback is not None:
            ws.sandbox.write("tmp/feedback.txt", feedback.encode())
            env["CHARTER_FEEDBACK_FILE"] = ws.sandbox.path("tmp/feedback.txt")
        env["CHARTER_TRAJECTORY"] = ws.sandbox.path(f"tmp/trajectory-{number}.log")
        env["CHARTER_COST_FILE"] = ws.sandbox.path(f"tmp/cost-{number}.json")
        ws.clean_at = None  # the command changes the tree
        result = ws.sandbox.exec(["sh", "-c", self.command], env=env, timeout=self.timeout)
        if result.timed_out or result.returncode != 0:
            return None
        message = task.attempts[0].message if task.attempts else task.prompt.splitlines()[0]
        trace = AgentTrace(
            diff="",
            hook_output="",
            wall_s=round(result.seconds, 3),
            exit_code=result.returncode,
            trajectory=_text(ws.sandbox.read(f"tmp/trajectory-{number}.log")),
            cost=_cost(ws.sandbox.read(f"tmp/cost-{number}.json")),
        )
        return Proposal(source="agent", message=message or task.id, trace=trace)


def _text(raw: bytes | None) -> str | None:
    return None if raw is None else raw.decode("utf-8", "replace")


def _cost(raw: bytes | None) -> dict[str, float]:
    """The numbers of the agent's cost file (tokens, dollars); anything else is left out."""
    if raw is None:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        str(k): float(v)
        for k, v in data.items()
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
    }
