"""The run loop: one (scenario, constraint set, epoch) replayed in a fresh sandbox.

For each task the agent proposes tries; each recorded patch is applied to the task's base
(``git apply``, then ``git apply --3way``; a patch that applies neither way is a
divergence, recorded), staged, measured by the oracle (``charter check --staged`` and
``charter commit-msg`` with the oracle's decisions: the violations the try introduces)
and committed with a real ``git commit``, so pre-commit and Charter's hooks decide. When
the agent has nothing left to try after a rejection, the counterfactual policy decides
(policies.py). After each landed task the drift is measured on the whole tree (drift.py).

Timings (hook latency, the oracle, the simulator's own overhead) go to a ``timings``
record of their own, so that two runs with the same seed compare equal without them.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from charter.simulator import adoption, drift, interrupts, metrics, nightly
from charter.simulator.agents import Agent, CommandAgent, Proposal, ReplayAgent, StochasticAgent
from charter.simulator.policies import Policy, repair
from charter.simulator.reactive import ReactiveAgent
from charter.simulator.records import (
    AgentParams,
    Attempt,
    AttemptTiming,
    DriftPoint,
    Run,
    RunSettings,
    RunTimings,
    TaskResult,
    TimedRun,
    Violation,
)
from charter.simulator.sandbox.base import Backend, InfraError, Sandbox
from charter.simulator.scenario import Scenario, Task
from charter.simulator.workspace import GUARDS, Workspace, timed


@dataclass(frozen=True)
class RunConfig:
    """What a run does; everything here is in the results (timeouts and ``measure`` aside:
    ``charter sim validate`` needs only the hooks' verdicts, so it skips the oracle and the
    drift, and writes no results)."""

    seed: int = 0
    policy: Policy = field(default_factory=Policy)
    iterations: int | None = None  # set: the stochastic agent
    agent_cmd: str | None = None
    max_tries: int = 3
    timeout: float = 120.0
    measure: bool = True
    #: ``pre-commit``: commits run the hooks through pre-commit, as a user's do;
    #: ``direct``: Charter's hook commands are called without the framework (faster).
    hooks: str = "pre-commit"
    #: ``reactive``: the behavioural agent (reactive.py) with ``agent_params``.
    reactive: bool = False
    agent_params: AgentParams = field(default_factory=AgentParams)
    #: The nightly loop: after every N judged tasks, adopt the oracle's rules that
    #: violations escaped so far (chained scenarios; see simulator/nightly.py).
    learn_every: int | None = None

    @property
    def agent(self) -> str:
        if self.agent_cmd:
            return "command"
        if self.reactive:
            return "reactive"
        return "stochastic" if self.iterations is not None else "replay"

    def settings(self) -> RunSettings:
        return RunSettings(
            seed=self.seed,
            policy=self.policy.settings(),
            agent=self.agent,
            iterations=self.iterations,
            agent_cmd=self.agent_cmd,
            max_tries=self.max_tries if self.agent_cmd else None,
            hooks=self.hooks,
            agent_params=self.agent_params if self.reactive else None,
            learn_every=self.learn_every,
        )


def unit_seed(config: RunConfig, scenario: str, epoch: int) -> str:
    """The seed of one unit: the same for every constraint set (A/B pairs share it)."""
    return f"{config.seed}:{scenario}:{epoch}"


def make_agent(config: RunConfig, seed: str, set_name: str) -> Agent:
    if config.reactive:
        # Seeded per (seed, scenario, epoch) and set: draws differ between the sets.
        return ReactiveAgent(f"{seed}:{set_name}:reactive", config.agent_params)
    if config.agent_cmd:
        return CommandAgent(config.agent_cmd, config.max_tries)
    if config.iterations is not None:
        return StochasticAgent(f"{seed}:agent", config.iterations)
    return ReplayAgent()


class _Unit:
    def __init__(self, scenario: Scenario, set_name: str, epoch: int, config: RunConfig) -> None:
        self.scenario, self.set_name, self.epoch, self.config = scenario, set_name, epoch, config
        self.seed = unit_seed(config, scenario.name, epoch)
        self.agent = make_agent(config, self.seed, set_name)
        self.tasks: list[TaskResult] = []
        self.drift: list[DriftPoint] = []
        self.infra: list[str] = []
        self.attempt_times: list[AttemptTiming] = []
        self.drift_ms: list[float] = []
        self.points: tuple[adoption.Adopted, ...] = ()
        self.staged = False
        if scenario.mode == "chained":
            set_dir = scenario.constraint_set(set_name)
            points = adoption.adoption_points(set_dir)
            # The loop commits the decisions in force too: it needs the set's files.
            self.points = points if adoption.staged(points) or config.learn_every else ()
        self.staged = adoption.staged(self.points)
        self.loop = nightly.Loop.of(scenario, set_name, config.learn_every)

    def run(self, backend: Backend) -> TimedRun:
        wall = time.perf_counter()
        setup_ms = 0.0
        sandbox: Sandbox | None = None
        try:
            # A Ctrl-C waits until the sandbox is ours to close (interrupts.py).
            with interrupts.deferred():
                sandbox = backend.start(f"{self.scenario.name}-{self.set_name}-{self.epoch}")
            ws = Workspace(sandbox, self.config.timeout, self.config.hooks)
            start = time.perf_counter()
            scenario_base = ws.setup(self.scenario, self.scenario.constraint_set(self.set_name))
            setup_ms = (time.perf_counter() - start) * 1000
            if self.staged:
                ws.put_guards(self.scenario.constraint_set(self.set_name))
            self._drift(ws, 0, None)
            self._loop(ws, scenario_base)
        except InfraError as exc:
            self.infra.append(f"{'sandbox' if sandbox is None else 'run'}: {exc}")
        finally:
            if sandbox is not None:
                with interrupts.deferred():  # not cut halfway through removing it
                    sandbox.close()
        return self._result(wall, setup_ms)

    def _loop(self, ws: Workspace, scenario_base: str) -> None:
        base = scenario_base
        adopted: tuple[adoption.Adopted, ...] | None = None  # None: the set as installed
        for step in self.agent.schedule(self.scenario):
            task = step.task
            if step.restart:
                base, adopted = scenario_base, None
            if self.scenario.mode == "independent":
                base = ws.install_set(task.base_rev) if task.base_rev else scenario_base
            policy_rng = random.Random(f"{self.seed}:policy:{step.iteration}:{task.id}")
            try:
                ws.reset(base)
                if self.points or self.loop is not None:
                    base, adopted = self._adopt(ws, task, base, adopted)
                if task.context:
                    record = self._context(ws, task, step.iteration)
                else:
                    self.agent.begin(step)
                    record = self._task(ws, task, step.iteration, base, policy_rng)
            except InfraError as exc:
                self.infra.append(f"{task.id}: {exc}")
                self.tasks.append(_task_result(task, step.iteration, "error", [], None))
                continue
            self.tasks.append(record)
            if self.loop is not None:
                self.loop.after(record, step.iteration)
            if record.outcome in ("landed", "bypassed", "context"):
                if self.scenario.mode == "chained":
                    base = ws.head()
                    ws.clean_at = base
                self._drift(ws, step.iteration, task.id)
                if task.success is not None and not task.context:
                    solved = ws.passes(task.success.command, task.success.timeout, task.id)
                    self.tasks[-1] = record.model_copy(update={"solved": solved})

    def _adopt(
        self,
        ws: Workspace,
        task: Task,
        base: str,
        adopted: tuple[adoption.Adopted, ...] | None,
    ) -> tuple[str, tuple[adoption.Adopted, ...]]:
        """Commit the decisions in force for ``task`` when they differ from those of the
        base (a rule's adoption point passed); the base and what is in force."""
        index = self.scenario.tasks.index(task)
        wanted = adoption.in_force(self.points, self.scenario.tasks, index)
        if self.loop is not None:
            wanted = (*wanted, *self.loop.adopted())
        if wanted == adopted:
            return base, wanted
        names = ", ".join(p.decision for p in wanted) or "no decision"
        return ws.adopt([p.file for p in wanted], f"in force: {names}"), wanted

    def _context(self, ws: Workspace, task: Task, iteration: int) -> TaskResult:
        """Land a context task's recorded change with no hook and no judgement."""
        attempt = task.attempts[0]
        if ws.apply(attempt.patch.read_bytes()) == "diverged" or not ws.stage():
            return _task_result(task, iteration, "context-diverged", [], None)
        ws.commit(attempt.message, no_verify=True)
        return _task_result(task, iteration, "context", [], None)

    def _drift(self, ws: Workspace, iteration: int, task: str | None) -> None:
        # Independent tasks each start from their own base: no tree accumulates their
        # changes, so drift does not apply (the report says so).
        if not self.config.measure or self.scenario.mode == "independent":
            return
        point, ms = timed(drift.measure, ws, iteration, task)
        self.drift.append(point)
        self.drift_ms.append(round(ms, 3))

    def _task(
        self, ws: Workspace, task: Task, iteration: int, base: str, rng: random.Random
    ) -> TaskResult:
        attempts: list[Attempt] = []
        feedback: str | None = None  # what the hooks said of the last rejected try
        last_rejected: Proposal | None = None
        tree_holds_it = False  # the work tree and index still hold last_rejected
        number = 0
        while True:
            number += 1
            started = time.perf_counter()
            proposal = self.agent.propose(ws, number, feedback)
            agent_ms = (time.perf_counter() - started) * 1000
            if proposal is None:
                break
            attempt, output = self._attempt(ws, task, proposal, number, base, agent_ms)
            attempts.append(attempt)
            self.agent.observe(attempt)
            if attempt.verdict in ("accepted", "bypassed"):
                outcome = "landed" if attempt.verdict == "accepted" else "bypassed"
                return _task_result(task, iteration, outcome, attempts, None)
            tree_holds_it = attempt.verdict == "rejected"
            if tree_holds_it:
                last_rejected, feedback = proposal, output
        if last_rejected is None or self.agent.decides_alone:
            diverged = attempts and all(a.verdict == "diverged" for a in attempts)
            outcome = "diverged" if diverged else "abandoned"
            return _task_result(task, iteration, outcome, attempts, None)
        action = self.config.policy.decide(rng)
        if action == "abandon":
            return _task_result(task, iteration, "abandoned", attempts, "abandon")
        if not tree_holds_it:
            if last_rejected.patch is None:  # an agent's edits, since overwritten
                return _task_result(task, iteration, "abandoned", attempts, action)
            ws.reset(base)  # a later try diverged: lay the rejected one down again
            ws.apply(last_rejected.patch)
            ws.stage()
        outcome = self._counterfactual(ws, task, action, last_rejected, number, base, attempts)
        return _task_result(task, iteration, outcome, attempts, action)

    def _counterfactual(
        self,
        ws: Workspace,
        task: Task,
        action: str,
        rejected: Proposal,
        number: int,
        base: str,
        attempts: list[Attempt],
    ) -> str:
        """Repair or bypass the staged, rejected try (appended to ``attempts``); the
        task's outcome."""
        started = time.perf_counter()
        if action == "repair":
            how = repair(ws, base)
            if how is None:
                return "abandoned"
            proposal = Proposal(f"repair:{how}", rejected.message)
            attempt, _ = self._evaluate(ws, task, proposal, number, started, "repaired", 0.0)
            attempts.append(attempt)
            return "landed" if attempt.verdict == "accepted" else "abandoned"
        proposal = Proposal("bypass", rejected.message)
        attempt, _ = self._evaluate(
            ws, task, proposal, number, started, "bypassed", 0.0, no_verify=True
        )
        attempts.append(attempt)
        return "bypassed" if attempt.verdict == "bypassed" else "abandoned"

    def _attempt(
        self,
        ws: Workspace,
        task: Task,
        proposal: Proposal,
        number: int,
        base: str,
        agent_ms: float,
    ) -> tuple[Attempt, str | None]:
        """One try: the attempt and what the hooks said (None when nothing ran)."""
        started = time.perf_counter()
        applied = "agent"
        if proposal.patch is not None:
            ws.reset(base)
            applied = ws.apply(proposal.patch)
            if applied == "diverged":
                ws.reset(base)
                self._time(task, number, started, 0.0, 0.0, agent_ms)
                return _attempt(number, proposal, "diverged", "diverged"), None
        return self._evaluate(
            ws, task, proposal, number, started, applied, agent_ms, proposal.no_verify
        )

    def _evaluate(
        self,
        ws: Workspace,
        task: Task,
        proposal: Proposal,
        number: int,
        started: float,
        applied: str,
        agent_ms: float,
        no_verify: bool = False,
    ) -> tuple[Attempt, str | None]:
        if not ws.stage():
            self._time(task, number, started, 0.0, 0.0, agent_ms)
            return _attempt(number, proposal, applied, "empty"), None
        oracle: tuple[Violation, ...] = ()
        oracle_ms = 0.0
        if self.config.measure:
            oracle, oracle_ms = timed(ws.oracle_staged, proposal.message)
        staged = ws.git("diff", "--cached", "--binary").stdout if proposal.trace else ""
        guards: tuple[Violation, ...] = ()
        if self.config.measure and self.staged:
            guards = ws.oracle_staged(proposal.message, GUARDS)
        commit, commit_ms = timed(ws.commit, proposal.message, no_verify=no_verify)
        blocked_by: tuple[Violation, ...] = ()
        if commit.returncode == 0:
            verdict = "bypassed" if no_verify else "accepted"
        else:
            verdict = "rejected"
            if self.config.measure:  # attribution: which rules of the set said no
                blocked_by = ws.set_staged(proposal.message)
        self._time(task, number, started, commit_ms, oracle_ms, agent_ms)
        attempt = _attempt(number, proposal, applied, verdict, oracle, blocked_by, guards)
        if proposal.trace is not None:  # a live agent's try: keep what it did and saw
            trace = proposal.trace.model_copy(update={"diff": staged, "hook_output": commit.output})
            attempt = attempt.model_copy(update={"agent_trace": trace})
        return attempt, commit.output

    def _time(
        self,
        task: Task,
        number: int,
        started: float,
        commit_ms: float,
        oracle_ms: float,
        agent_ms: float,
    ) -> None:
        total = (time.perf_counter() - started) * 1000
        self.attempt_times.append(
            AttemptTiming(
                task=task.id,
                number=number,
                total_ms=round(total, 3),
                commit_ms=round(commit_ms, 3),
                oracle_ms=round(oracle_ms, 3),
                agent_ms=round(agent_ms, 3),
                overhead_ms=round(total - commit_ms - oracle_ms, 3),
            )
        )

    def _result(self, wall: float, setup_ms: float) -> TimedRun:
        tasks, points = tuple(self.tasks), tuple(self.drift)
        run = Run(
            scenario=self.scenario.name,
            set_name=self.set_name + (nightly.SUFFIX if self.loop is not None else ""),
            epoch=self.epoch,
            mode=self.scenario.mode,
            config=self.config.settings(),
            tasks=tasks,
            drift=points,
            infra_errors=tuple(self.infra),
            metrics=metrics.run_metrics(tasks, points, len(self.infra)),
            by_decision=metrics.by_decision(tasks, points),
            by_rule=metrics.by_rule(tasks),
            recurrence=metrics.recurrence(
                tasks, adoption.first_in_force(self.points, self.scenario.tasks)
            ),
            learned=self.loop.learned if self.loop is not None else (),
        )
        timings = RunTimings(
            wall_s=round(time.perf_counter() - wall, 3),
            setup_ms=round(setup_ms, 3),
            attempts=tuple(self.attempt_times),
            drift_ms=tuple(self.drift_ms),
        )
        return TimedRun(run=run, timings=timings)


def _task_result(
    task: Task, iteration: int, outcome: str, attempts: list[Attempt], action: str | None
) -> TaskResult:
    recorded = None
    if task.attempts and all(a.outcome for a in task.attempts):
        landed = any(a.outcome == "accepted" for a in task.attempts)
        recorded = "landed" if landed else "abandoned"
    return TaskResult(
        id=task.id,
        iteration=iteration,
        outcome=outcome,
        recorded_outcome=recorded,
        retries=max(0, sum(a.verdict != "diverged" for a in attempts) - 1),
        policy_action=action,
        attempts=tuple(attempts),
    )


def _attempt(
    number: int,
    proposal: Proposal,
    applied: str,
    verdict: str,
    oracle: tuple[Violation, ...] = (),
    blocked_by: tuple[Violation, ...] = (),
    guards: tuple[Violation, ...] = (),
) -> Attempt:
    return Attempt.judged(
        number,
        proposal.source,
        proposal.patch_rel,
        proposal.recorded_outcome,
        applied,
        verdict,
        oracle,
        blocked_by,
        guards,
    )


def run_unit(
    scenario: Scenario, set_name: str, epoch: int, config: RunConfig, backend: Backend
) -> TimedRun:
    """Replay one unit: the run, and its timings apart."""
    return _Unit(scenario, set_name, epoch, config).run(backend)
