"""The simulator's records: what a replay produces and what the results document holds.

Frozen pydantic models, one per concept of ``charter-sim/1`` (docs/simulator-results.md):
an attempt, a task result, a drift point, a run, its timings, the summaries, the A/B
comparison and the results document. Modules pass these records to one another; JSON
exists only where ``results.py`` writes and reads files (``as_json`` / ``model_validate``).
Field names are the JSON keys, except ``try`` and ``set`` (Python names ``number`` and
``set_name``), which keep their JSON spelling through aliases.
"""

from __future__ import annotations

import math
from typing import Any, TypeAlias, cast

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)

#: A JSON value, as ``json.loads`` gives it: what a record's JSON form is made of.
JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | JsonObject | None"
JsonObject: TypeAlias = "dict[str, JsonValue]"


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def as_json(self) -> JsonObject:
        """The JSON form (the only place a record becomes a dict)."""
        return cast(JsonObject, self.model_dump(mode="json", by_alias=True))


def _alias(name: str) -> Any:
    return Field(validation_alias=name, serialization_alias=name)


class Violation(Record):
    """An oracle violation, as much of a ``charter-check/1`` finding as identifies it."""

    decision: str
    constraint: str
    kind: str
    path: str
    key: str
    fingerprint: str

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.path, self.constraint, self.key, self.fingerprint)


#: The kind of governance's findings (charter.hooks.governance.weakening).
GOVERNANCE = "governance"


class TreeReport(Record):
    """The oracle on the whole tree: its violations, and how many waivers silenced."""

    violations: tuple[Violation, ...]
    waived: int


class AgentTrace(Record):
    """What a live agent (``--agent-cmd``) did in one try: the diff it staged, what the
    hooks told it, its own log (``CHARTER_TRAJECTORY``), its wall time and the cost it
    reported (``CHARTER_COST_FILE``: a JSON object of numbers, e.g. tokens and dollars)."""

    diff: str
    hook_output: str
    wall_s: float
    exit_code: int
    trajectory: str | None = None
    cost: dict[str, float] = Field(default_factory=dict)


class Attempt(Record):
    """One try of a task; ``blocked``, ``landed``, ``escaped`` and ``false_block`` follow
    from the verdict and the oracle (see :meth:`judged`)."""

    number: int = _alias("try")
    source: str
    patch: str | None
    recorded_outcome: str | None
    applied: str
    verdict: str
    blocked: bool
    landed: bool
    oracle: tuple[Violation, ...]
    escaped: bool
    false_block: bool
    # What the set under test reported on a rejected try (``charter check --staged``'s
    # JSON): the rules that blocked it. Empty on a rejection: the commit-msg stage
    # (a diff-level kind or governance) blocked it.
    blocked_by: tuple[Violation, ...] = ()
    #: Only for the tries of a live agent (``--agent-cmd``); not written otherwise.
    agent_trace: AgentTrace | None = None
    # With adoption points: what the whole set (adopted or not yet) finds in the try,
    # the recurrence of each rule's bug class. Written only when there is some.
    guards: tuple[Violation, ...] = ()

    @model_serializer(mode="wrap")
    def _without_empty_guards(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict) and not data.get("guards"):
            data.pop("guards", None)
        if isinstance(data, dict) and data.get("agent_trace", 0) is None:
            del data["agent_trace"]
        return data

    @classmethod
    def judged(
        cls,
        number: int,
        source: str,
        patch: str | None,
        recorded_outcome: str | None,
        applied: str,
        verdict: str,
        oracle: tuple[Violation, ...] = (),
        blocked_by: tuple[Violation, ...] = (),
        guards: tuple[Violation, ...] = (),
    ) -> Attempt:
        landed = verdict in ("accepted", "bypassed")
        # A block by governance (a weakened decision, a new waiver) guards the rules
        # themselves: it is counted apart, never as a false block.
        governance = any(v.kind == GOVERNANCE for v in blocked_by)
        return cls(
            number=number,
            source=source,
            patch=patch,
            recorded_outcome=recorded_outcome,
            applied=applied,
            verdict=verdict,
            blocked=verdict == "rejected",
            landed=landed,
            oracle=tuple(sorted(oracle, key=Violation.sort_key)),
            escaped=landed and bool(oracle),
            false_block=verdict == "rejected" and not oracle and not governance,
            blocked_by=tuple(sorted(blocked_by, key=Violation.sort_key)),
            guards=tuple(sorted(guards, key=Violation.sort_key)),
        )


class TaskResult(Record):
    id: str
    iteration: int
    outcome: str
    recorded_outcome: str | None
    retries: int
    policy_action: str | None
    attempts: tuple[Attempt, ...]
    #: The scenario's success test after the task landed: passed (True), failed (False);
    #: None (not written) when the scenario declares no test or the task did not land.
    solved: bool | None = None

    @model_serializer(mode="wrap")
    def _without_unjudged(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict) and data.get("solved", 0) is None:
            del data["solved"]
        return data


class Architecture(Record):
    """Rule-free architecture metrics of the whole tree (simulator/architecture.py)."""

    modules: int
    import_edges: int
    cycle_edges: int
    unit_edges: int
    layer_breaking_edges: int
    instability: float
    unparsed: int  # modules this interpreter cannot parse


class DriftPoint(Record):
    iteration: int
    task: str | None
    violations: int
    by_decision: dict[str, int]
    layer_edges: int
    cycles: int
    misplaced_files: int
    waivers: int
    waived: int
    baseline: int
    #: Measured with no rule at all (absent from results written before it existed).
    architecture: Architecture | None = None


AGENT_PARAMS_SCHEMA = "charter-agent-params/1"


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


class Interval(Record):
    """A fitted value, its 95% interval and how many observations it rests on."""

    value: float
    low: float
    high: float
    n: int


class AgentParams(Record):
    schema_: str = Field(
        default=AGENT_PARAMS_SCHEMA, validation_alias="schema", serialization_alias="schema"
    )
    #: P(the repair satisfies the rule) when the blocking message carries a remedy.
    repair_remedy: float = Field(default=0.8, ge=0.0, le=1.0)
    #: The same when the message only says what is wrong.
    repair_no_remedy: float = Field(default=0.5, ge=0.0, le=1.0)
    #: Added to the repair probability when the rule was in the agent's context.
    context_bonus: float = Field(default=0.1, ge=0.0, le=1.0)
    #: Tries per task before the agent gives up.
    budget: int = Field(default=4, ge=1, le=100)
    #: log-odds of a bypass at a block, with no wrong block met yet (-3: about 5%).
    bypass_logit: float = Field(default=-3.0, ge=-50.0, le=50.0)
    #: What each wrong block met adds to those log-odds (0.7: about x2 per wrong block).
    bypass_slope: float = Field(default=0.7, ge=-50.0, le=50.0)
    #: Where the values come from: ``defaults`` or what calibrate read.
    source: str = "defaults"
    #: The fit's 95% intervals (calibrate): per parameter, and the journal's own rates
    #: (``retries_per_task``, ``bypass_rate``) that a simulation should reproduce.
    intervals: dict[str, Interval] = Field(default_factory=dict)
    #: How the intervals were computed (calibrate).
    method: str = ""

    def p_repair(self, remedy: bool, in_context: bool) -> float:
        base = self.repair_remedy if remedy else self.repair_no_remedy
        return min(1.0, base + (self.context_bonus if in_context else 0.0))

    def p_bypass(self, wrong_blocks: int) -> float:
        return sigmoid(self.bypass_logit + self.bypass_slope * wrong_blocks)


class PolicySettings(Record):
    name: str
    p_repair: float
    p_bypass: float


class RunSettings(Record):
    """What a run does, as the results record it (``RunConfig`` minus the timeouts)."""

    seed: int
    policy: PolicySettings
    agent: str
    iterations: int | None
    agent_cmd: str | None
    max_tries: int | None
    #: ``direct`` for runs made with ``--hooks direct``; written only then, so results
    #: made through pre-commit keep their form (and their ``--resume`` keys).
    hooks: str = "pre-commit"
    #: The reactive agent's parameters (written only for ``--agent reactive``).
    agent_params: AgentParams | None = None
    #: The nightly loop (``charter sim loop``): learn and adopt guards every N tasks.
    #: Written only then.
    learn_every: int | None = None

    @model_serializer(mode="wrap")
    def _without_default_hooks(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict) and data.get("hooks") == "pre-commit":
            del data["hooks"]
        if isinstance(data, dict) and data.get("agent_params", 0) is None:
            del data["agent_params"]
        if isinstance(data, dict) and data.get("learn_every", 0) is None:
            del data["learn_every"]
        return data


class DecisionCounts(Record):
    introduced: int = 0
    caught: int = 0
    escaped: int = 0
    final: int = 0


class RuleCounts(Record):
    """The tries one rule of the set blocked, split by the oracle's label (governance's
    blocks apart: neither true nor false)."""

    blocks: int = 0
    true_blocks: int = 0
    false_blocks: int = 0
    governance_blocks: int = 0


class RuleValue(Record):
    """One rule (decision record) of the set: B - (B without it), summed over scenarios."""

    set_name: str
    rule: str
    runs: int
    caught_violations: int
    false_blocks: int
    governance_blocks: int
    abandoned: int
    retries: int


class Recurrence(Record):
    """One rule's bug class before its guard was adopted and after: the judged tasks in
    each window, those whose tries broke the rule, and those that landed it."""

    adopted_at: str | None  # the first task the rule governed (None: none of them)
    tasks_before: int = 0
    before: int = 0
    landed_before: int = 0
    tasks_after: int = 0
    after: int = 0
    landed_after: int = 0


class LearnedRule(Record):
    """A guard the nightly loop adopted: the oracle's decision, after which task (the
    end of the window whose escaped violations proposed it) and from how many escapes."""

    decision: str
    after_task: str
    iteration: int
    escaped: int


class Run(Record):
    """One (scenario, set, epoch) replayed: everything but the timings, which vary."""

    scenario: str
    set_name: str = _alias("set")
    epoch: int
    mode: str
    config: RunSettings
    tasks: tuple[TaskResult, ...]
    drift: tuple[DriftPoint, ...]
    infra_errors: tuple[str, ...]
    metrics: dict[str, int]
    by_decision: dict[str, DecisionCounts]
    by_rule: dict[str, RuleCounts] = Field(default_factory=dict)
    #: Per decision with an adoption point (decision id): written only then.
    recurrence: dict[str, Recurrence] = Field(default_factory=dict)
    #: The guards the nightly loop adopted, in order: written only for its runs.
    learned: tuple[LearnedRule, ...] = ()

    @model_serializer(mode="wrap")
    def _without_empty_extras(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        for key in ("recurrence", "learned"):
            if isinstance(data, dict) and not data.get(key):
                data.pop(key, None)
        return data


class AttemptTiming(Record):
    task: str
    number: int = _alias("try")
    total_ms: float
    commit_ms: float
    oracle_ms: float
    agent_ms: float
    overhead_ms: float


class RunTimings(Record):
    wall_s: float
    setup_ms: float
    attempts: tuple[AttemptTiming, ...]
    drift_ms: tuple[float, ...]


class TimedRun(Record):
    """What replaying one unit yields: the run and, apart, how long it took."""

    run: Run
    timings: RunTimings


class RunKey(Record):
    """What a finished run was made with; ``--resume`` reuses it only on an equal key."""

    scenario: str
    digest: str
    set_name: str = _alias("set")
    epoch: int
    config: RunSettings
    version: str


class Stat(Record):
    mean: float
    low: float
    high: float
    n: int


class ScenarioSummary(Record):
    scenario: str
    set_name: str = _alias("set")
    metrics: dict[str, Stat]


class Summary(Record):
    by_scenario: tuple[ScenarioSummary, ...]
    by_set: dict[str, dict[str, Stat]]


class Spread(Record):
    mean: float
    median: float
    max: float


class TimingSummary(Record):
    tries: int
    hook_ms: Spread
    oracle_ms: Spread
    overhead_ms: Spread
    wall_s: float
    tries_per_s: float


class RunTimingRow(RunTimings):
    scenario: str
    set_name: str = _alias("set")
    epoch: int


class Timings(Record):
    runs: tuple[RunTimingRow, ...]
    summary: TimingSummary


class Delta(Record):
    a: float
    b: float
    delta: float
    low: float
    high: float
    n: int


class Comparison(Record):
    """B - A per metric. ``unit``: what a delta's ``n`` counts (tasks; older results:
    runs); ``excluded``: the incomplete runs left out, each with its cause;
    ``detectable``: per metric, the per-task difference a paired test detects with 80%
    power at the 5% level (None under two tasks)."""

    a: str
    b: str
    pairs: tuple[tuple[str, int], ...]
    deltas: dict[str, Delta]
    unit: str = "run"
    scenarios: int = 0
    excluded: tuple[str, ...] = ()
    detectable: dict[str, float | None] = Field(default_factory=dict)


class SimSettings(RunSettings):
    """The settings of a whole invocation: a run's, plus what it ran."""

    sets: tuple[str, ...]
    scenarios: tuple[str, ...]
    epochs: int


class Environment(Record):
    sandbox: str
    isolates: bool
    notice: str


class Results(Record):
    """The ``charter-sim/1`` document; ``comparison`` only for ``charter sim compare``."""

    schema_: str = _alias("schema")
    version: str
    config: SimSettings
    runs: tuple[Run, ...]
    summary: Summary
    timings: Timings
    environment: Environment
    comparison: Comparison | None = None

    def as_json(self) -> JsonObject:
        # A document without a comparison has no such key (charter-sim/1 as written).
        exclude = None if self.comparison else {"comparison"}
        return cast(JsonObject, self.model_dump(mode="json", by_alias=True, exclude=exclude))
