"""``charter sim export --format inspect``: results as Inspect AI evaluation logs.

Inspect (inspect_ai) reads an evaluation log as JSON (``inspect view``, ``inspect log``,
``inspect_ai.log.read_eval_log``). One log is written per constraint set: the set is
the "task" (``charter-sim/<set>``), the agent the "model" (``charter/<agent>``), every
(scenario, task, epoch) a sample with id ``<scenario>/<task>``. A sample's scores are
``landed``, ``solved`` (when the scenario has a success test), ``blocked`` (its blocked
tries) and ``escaped`` (landed with oracle violations) — C (correct) / I (incorrect) for
the yes/no ones; its messages are the task's prompt, then per try what the agent
reported (a live agent's log) and what the hooks answered; its metadata keeps the tries
as the results hold them (verdicts, oracle violations, a live agent's diff and cost).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from charter.simulator.records import Attempt, Record, Results, Run, TaskResult

INSPECT_VERSION = 2
YES_NO = ("landed", "solved", "escaped")


class Message(Record):
    role: str
    content: str
    source: str = "generate"


class Score(Record):
    value: str | float
    explanation: str | None = None


class Sample(Record):
    id: str
    epoch: int
    input: str
    target: str = ""
    messages: tuple[Message, ...]
    scores: dict[str, Score]
    metadata: dict[str, Any]


class Metric(Record):
    name: str
    value: float


class ScoreSummary(Record):
    name: str
    scorer: str
    metrics: dict[str, Metric]


class EvalLog(Record):
    version: int = INSPECT_VERSION
    status: str = "success"
    eval: dict[str, Any]
    results: dict[str, Any]
    stats: dict[str, Any]
    samples: tuple[Sample, ...]


def _messages(prompt: str, task: TaskResult) -> tuple[Message, ...]:
    out = [Message(role="user", content=prompt or task.id, source="input")]
    for attempt in task.attempts:
        trace = attempt.agent_trace
        said = trace.trajectory if trace and trace.trajectory else f"try {attempt.number}"
        out.append(Message(role="assistant", content=f"{said}\n[{attempt.source}]"))
        answer = trace.hook_output if trace and trace.hook_output else attempt.verdict
        out.append(Message(role="user", content=f"hooks: {answer}", source="input"))
    return tuple(out)


def _scores(task: TaskResult) -> dict[str, Score]:
    landed = task.outcome in ("landed", "bypassed")
    values: dict[str, bool | None] = {
        "landed": landed,
        "solved": task.solved,
        "escaped": any(a.escaped for a in task.attempts),
    }
    scores = {
        name: Score(value="C" if value else "I", explanation=task.outcome)
        for name, value in values.items()
        if value is not None
    }
    scores["blocked"] = Score(value=float(sum(a.blocked for a in task.attempts)))
    return scores


def _sample(run: Run, task: TaskResult, prompts: dict[str, str]) -> Sample:
    tries: list[dict[str, Any]] = [a.as_json() for a in task.attempts]
    return Sample(
        id=f"{run.scenario}/{task.id}",
        epoch=run.epoch + 1,
        input=prompts.get(task.id, task.id),
        messages=_messages(prompts.get(task.id, ""), task),
        scores=_scores(task),
        metadata={
            "scenario": run.scenario,
            "outcome": task.outcome,
            "retries": task.retries,
            "tries": tries,
            "cost": _cost(task.attempts),
        },
    )


def _cost(attempts: Sequence[Attempt]) -> dict[str, float]:
    total: dict[str, float] = {}
    for attempt in attempts:
        for key, value in (attempt.agent_trace.cost if attempt.agent_trace else {}).items():
            total[key] = total.get(key, 0.0) + value
    return total


def _summary(samples: Sequence[Sample]) -> list[ScoreSummary]:
    out: list[ScoreSummary] = []
    for name in (*YES_NO, "blocked"):
        values = [s.scores[name].value for s in samples if name in s.scores]
        if not values:
            continue
        if name == "blocked":
            mean = sum(float(v) for v in values) / len(values)
            metrics = {"mean": Metric(name="mean", value=mean)}
        else:
            share = sum(v == "C" for v in values) / len(values)
            metrics = {"accuracy": Metric(name="accuracy", value=share)}
        out.append(ScoreSummary(name=name, scorer=name, metrics=metrics))
    return out


def inspect_logs(doc: Results, prompts: dict[str, str]) -> dict[str, EvalLog]:
    """One Inspect evaluation log per constraint set of ``doc``."""
    logs: dict[str, EvalLog] = {}
    for set_name in doc.config.sets:
        runs = [r for r in doc.runs if r.set_name == set_name]
        samples = tuple(_sample(r, t, prompts) for r in runs for t in r.tasks)
        eval_spec = {
            "run_id": f"charter-sim-{doc.config.seed}",
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "task": f"charter-sim/{set_name}",
            "task_id": f"charter-sim-{set_name}",
            "task_version": 0,
            "dataset": {"name": ",".join(doc.config.scenarios), "samples": len(samples)},
            "model": f"charter/{doc.config.agent}",
            "config": {"epochs": doc.config.epochs},
            "metadata": {"charter_version": doc.version, "seed": doc.config.seed},
        }
        results = {
            "total_samples": len(samples),
            "completed_samples": len(samples),
            "scores": [s.as_json() for s in _summary(samples)],
        }
        stats = {"started_at": "", "completed_at": "", "model_usage": {}}
        logs[set_name] = EvalLog(eval=eval_spec, results=results, stats=stats, samples=samples)
    return logs


def write_inspect(doc: Results, prompts: dict[str, str], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for set_name, log in inspect_logs(doc, prompts).items():
        path = out / f"{set_name}.json"
        path.write_text(json.dumps(log.as_json(), indent=2, sort_keys=True) + "\n", "utf-8")
        written.append(path)
    return written
