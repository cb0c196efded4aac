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
from typing import Any

from charter.simulator import drift, metrics
from charter.simulator.agents import Agent, CommandAgent, Proposal, ReplayAgent, StochasticAgent
from charter.simulator.policies import Policy, repair
from charter.simulator.sandbox.base import Backend, InfraError
from charter.simulator.scenario import Scenario, Task
from charter.simulator.workspace import Workspace, timed


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

    @property
    def agent(self) -> str:
        if self.agent_cmd:
            return "command"
        return "stochastic" if self.iterations is not None else "replay"

    def as_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "policy": self.policy.as_json(),
            "agent": self.agent,
            "iterations": self.iterations,
            "agent_cmd": self.agent_cmd,
            "max_tries": self.max_tries if self.agent_cmd else None,
            # only when not the default, so earlier results keep their --resume keys
            **({"hooks": self.hooks} if self.hooks != "pre-commit" else {}),
        }


def unit_seed(config: RunConfig, scenario: str, epoch: int) -> str:
    """The seed of one unit: the same for every constraint set (A/B pairs share it)."""
    return f"{config.seed}:{scenario}:{epoch}"


def make_agent(config: RunConfig, seed: str) -> Agent:
    if config.agent_cmd:
        return CommandAgent(config.agent_cmd, config.max_tries)
    if config.iterations is not None:
        return StochasticAgent(f"{seed}:agent", config.iterations)
    return ReplayAgent()


class _Unit:
    def __init__(self, scenario: Scenario, set_name: str, epoch: int, config: RunConfig) -> None:
        self.scenario, self.set_name, self.epoch, self.config = scenario, set_name, epoch, config
        self.seed = unit_seed(config, scenario.name, epoch)
        self.agent = make_agent(config, self.seed)
        self.tasks: list[dict[str, Any]] = []
        self.drift: list[dict[str, Any]] = []
        self.infra: list[str] = []
        self.attempt_times: list[dict[str, Any]] = []
        self.drift_ms: list[float] = []

    def run(self, backend: Backend) -> dict[str, Any]:
        wall = time.perf_counter()
        setup_ms = 0.0
        try:
            sandbox = backend.start(f"{self.scenario.name}-{self.set_name}-{self.epoch}")
        except InfraError as exc:
            self.infra.append(f"sandbox: {exc}")
            return self._result(wall, setup_ms)
        try:
            ws = Workspace(sandbox, self.config.timeout, self.config.hooks)
            start = time.perf_counter()
            scenario_base = ws.setup(self.scenario, self.scenario.constraint_set(self.set_name))
            setup_ms = (time.perf_counter() - start) * 1000
            self._drift(ws, 0, None)
            self._loop(ws, scenario_base)
        except InfraError as exc:
            self.infra.append(f"run: {exc}")
        finally:
            sandbox.close()
        return self._result(wall, setup_ms)

    def _loop(self, ws: Workspace, scenario_base: str) -> None:
        base = scenario_base
        for step in self.agent.schedule(self.scenario):
            task = step.task
            if step.restart:
                base = scenario_base
            if self.scenario.mode == "independent":
                base = ws.install_set(task.base_rev) if task.base_rev else scenario_base
            self.agent.begin(step)
            policy_rng = random.Random(f"{self.seed}:policy:{step.iteration}:{task.id}")
            try:
                ws.reset(base)
                record = self._task(ws, task, step.iteration, base, policy_rng)
            except InfraError as exc:
                self.infra.append(f"{task.id}: {exc}")
                record = {"id": task.id, "iteration": step.iteration, "outcome": "error"}
                record.update(attempts=[], retries=0, policy_action=None)
                self.tasks.append(record)
                continue
            self.tasks.append(record)
            if record["outcome"] in ("landed", "bypassed"):
                if self.scenario.mode == "chained":
                    base = ws.head()
                    ws.clean_at = base
                self._drift(ws, step.iteration, task.id)

    def _drift(self, ws: Workspace, iteration: int, task: str | None) -> None:
        if not self.config.measure:
            return
        point, ms = timed(drift.measure, ws, iteration, task)
        self.drift.append(point)
        self.drift_ms.append(round(ms, 3))

    def _task(
        self, ws: Workspace, task: Task, iteration: int, base: str, rng: random.Random
    ) -> dict[str, Any]:
        attempts: list[dict[str, Any]] = []
        feedback: str | None = None
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
            attempt = self._attempt(ws, task, proposal, number, base, agent_ms)
            output = attempt.pop("_feedback", None)
            attempts.append(attempt)
            if attempt["verdict"] == "accepted":
                return self._task_record(task, iteration, "landed", attempts, None)
            tree_holds_it = attempt["verdict"] == "rejected"
            if tree_holds_it:
                last_rejected, feedback = proposal, output
        if last_rejected is None:
            outcome = (
                "diverged"
                if attempts and all(a["verdict"] == "diverged" for a in attempts)
                else "abandoned"
            )
            return self._task_record(task, iteration, outcome, attempts, None)
        action = self.config.policy.decide(rng)
        if action == "abandon":
            return self._task_record(task, iteration, "abandoned", attempts, "abandon")
        if not tree_holds_it:
            if last_rejected.patch is None:  # an agent's edits, since overwritten
                return self._task_record(task, iteration, "abandoned", attempts, action)
            ws.reset(base)  # a later try diverged: lay the rejected one down again
            ws.apply(last_rejected.patch)
            ws.stage()
        staged_rejected = last_rejected
        started = time.perf_counter()
        if action == "repair":
            how = repair(ws, base)
            if how is None:
                return self._task_record(task, iteration, "abandoned", attempts, "repair")
            proposal = Proposal(f"repair:{how}", staged_rejected.message)
            attempt = self._evaluate(ws, task, proposal, number, started, "repaired", 0.0)
            attempt.pop("_feedback", None)
            attempts.append(attempt)
            outcome = "landed" if attempt["verdict"] == "accepted" else "abandoned"
            return self._task_record(task, iteration, outcome, attempts, "repair")
        proposal = Proposal("bypass", staged_rejected.message)
        attempt = self._evaluate(
            ws, task, proposal, number, started, "bypassed", 0.0, no_verify=True
        )
        attempt.pop("_feedback", None)
        attempts.append(attempt)
        outcome = "bypassed" if attempt["verdict"] == "bypassed" else "abandoned"
        return self._task_record(task, iteration, outcome, attempts, "bypass")

    def _attempt(
        self,
        ws: Workspace,
        task: Task,
        proposal: Proposal,
        number: int,
        base: str,
        agent_ms: float,
    ) -> dict[str, Any]:
        started = time.perf_counter()
        applied = "agent"
        if proposal.patch is not None:
            ws.reset(base)
            applied = ws.apply(proposal.patch)
            if applied == "diverged":
                ws.reset(base)
                record = _attempt_record(number, proposal, "diverged", "diverged", [])
                self._time(task, number, started, 0.0, 0.0, agent_ms)
                return record
        return self._evaluate(ws, task, proposal, number, started, applied, agent_ms)

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
    ) -> dict[str, Any]:
        if not ws.stage():
            self._time(task, number, started, 0.0, 0.0, agent_ms)
            return _attempt_record(number, proposal, applied, "empty", [])
        oracle: list[dict[str, Any]] = []
        oracle_ms = 0.0
        if self.config.measure:
            oracle, oracle_ms = timed(ws.oracle_staged, proposal.message)
        commit, commit_ms = timed(ws.commit, proposal.message, no_verify=no_verify)
        if commit.returncode == 0:
            verdict = "bypassed" if no_verify else "accepted"
        else:
            verdict = "rejected"
        record = _attempt_record(number, proposal, applied, verdict, oracle)
        record["_feedback"] = commit.output
        self._time(task, number, started, commit_ms, oracle_ms, agent_ms)
        return record

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
            {
                "task": task.id,
                "try": number,
                "total_ms": round(total, 3),
                "commit_ms": round(commit_ms, 3),
                "oracle_ms": round(oracle_ms, 3),
                "agent_ms": round(agent_ms, 3),
                "overhead_ms": round(total - commit_ms - oracle_ms, 3),
            }
        )

    def _task_record(
        self,
        task: Task,
        iteration: int,
        outcome: str,
        attempts: list[dict[str, Any]],
        action: str | None,
    ) -> dict[str, Any]:
        recorded = None
        if task.attempts and all(a.outcome for a in task.attempts):
            landed = any(a.outcome == "accepted" for a in task.attempts)
            recorded = "landed" if landed else "abandoned"
        return {
            "id": task.id,
            "iteration": iteration,
            "outcome": outcome,
            "recorded_outcome": recorded,
            "retries": max(0, sum(a["verdict"] != "diverged" for a in attempts) - 1),
            "policy_action": action,
            "attempts": attempts,
        }

    def _result(self, wall: float, setup_ms: float) -> dict[str, Any]:
        run = {
            "scenario": self.scenario.name,
            "set": self.set_name,
            "epoch": self.epoch,
            "mode": self.scenario.mode,
            "config": self.config.as_json(),
            "tasks": self.tasks,
            "drift": self.drift,
            "infra_errors": self.infra,
        }
        run["metrics"] = metrics.run_metrics(run)
        run["timings"] = {
            "wall_s": round(time.perf_counter() - wall, 3),
            "setup_ms": round(setup_ms, 3),
            "attempts": self.attempt_times,
            "drift_ms": self.drift_ms,
        }
        return run


def _attempt_record(
    number: int, proposal: Proposal, applied: str, verdict: str, oracle: list[dict[str, Any]]
) -> dict[str, Any]:
    violations = sorted(
        (
            {k: v[k] for k in ("decision", "constraint", "kind", "path", "key", "fingerprint")}
            for v in oracle
        ),
        key=lambda v: (v["path"], v["constraint"], v["key"], v["fingerprint"]),
    )
    landed = verdict in ("accepted", "bypassed")
    return {
        "try": number,
        "source": proposal.source,
        "patch": proposal.patch_rel,
        "recorded_outcome": proposal.recorded_outcome,
        "applied": applied,
        "verdict": verdict,
        "blocked": verdict == "rejected",
        "landed": landed,
        "oracle": violations,
        "escaped": landed and bool(violations),
        "false_block": verdict == "rejected" and not violations,
    }


def run_unit(
    scenario: Scenario, set_name: str, epoch: int, config: RunConfig, backend: Backend
) -> dict[str, Any]:
    """Replay one unit; the run's result record (with its ``timings`` apart)."""
    return _Unit(scenario, set_name, epoch, config).run(backend)
