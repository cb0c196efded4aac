"""``charter sim calibrate``: the reactive agent's parameters, fitted on an attempt journal.

The journal (``charter.hooks.journal``, written by real commits under Charter's hooks)
holds every judged attempt. A task is a run of attempts on one (branch, HEAD) ending at
the first accepted one. Each rejected attempt is one decision of the agent:

- it **bypassed** when it is the task's last and the task's branch nevertheless gained a
  commit on that HEAD (a ``--no-verify`` commit: the hooks never saw it);
- it **repaired** when the next attempt was accepted, and **failed a repair** when the
  next was rejected again — split by whether the block's message carried a remedy;
- it **gave up** when it is the last and nothing landed.

Method: repair probabilities are maximum-likelihood binomial proportions with Wilson 95%
intervals; the budget is its maximum-likelihood value (the most tries any task that did
not bypass used) with the range of the give-ups' tries as its interval; the bypass model
``sigmoid(a + b * wrong_blocks)`` is a logistic regression fitted by Newton's method (a
weak ridge penalty keeps it finite when no bypass happened), with Wald 95% intervals. A
block is wrong when no decision that blocked it is in ``--oracle`` (without one no block
is wrong and the slope keeps its default). The journal's own retries per task (t
interval) and bypass rate (Wilson) are written too: a simulation with the fitted
parameters should land inside them.

``--from-results`` fits the same way on the live agents' tries of ``charter sim``
results instead (calibrate_runs.py reads them); a live run cannot show a bypass, so the
bypass parameters keep their defaults there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from charter.hooks import journal
from charter.hooks.errors import CharterError
from charter.hooks.source import git
from charter.simulator import stats
from charter.simulator.records import AgentParams, Interval, sigmoid

Z95 = 1.959963984540054
RIDGE = 0.01
METHOD = (
    "repair: binomial MLE, Wilson 95% intervals; budget: MLE (most tries of a task that "
    "did not bypass), interval the give-ups' range; bypass: logistic regression on wrong "
    f"blocks met, Newton MLE with ridge {RIDGE}, Wald 95% intervals; journal rates: "
    "retries per task (Student t), bypass rate (Wilson)"
)
METHOD_RUNS = (
    "live agents' tries (--agent-cmd results): repair: binomial MLE, Wilson 95% intervals "
    "(a remedy: the hooks' output the agent saw had one); budget: MLE (most tries of a "
    "task), interval the give-ups' range; bypass: not observable (the simulator commits "
    "for the agent), defaults kept; retries per task (Student t)"
)


@dataclass(frozen=True)
class Block:
    """One rejected attempt: what the agent met and what it did next."""

    remedy: bool
    wrong_before: int  # wrong blocks met before this one, this one included
    action: str  # repaired, failed, bypassed, gave-up


class Tried(Protocol):
    """A task as the fit sees it: its tries' verdicts in order, and whether it ended in
    a bypass."""

    @property
    def outcomes(self) -> tuple[str, ...]: ...

    @property
    def bypassed(self) -> bool: ...


T = TypeVar("T", bound=Tried)


@dataclass(frozen=True)
class JournalTask:
    branch: str
    head: str
    outcomes: tuple[str, ...]  # accepted / rejected, in order
    violations: tuple[tuple[Mapping[str, object], ...], ...]
    bypassed: bool = False


def tasks(repo: Path) -> tuple[list[JournalTask], list[str]]:
    """The journal's tasks, and warnings about attempts left out."""
    found, problems = journal.read_attempts(repo)
    warnings = [f"attempts.jsonl:{p.line}: {p.message}" for p in problems]
    grouped: list[JournalTask] = []
    for attempt in found:
        if attempt.outcome not in ("accepted", "rejected") or not attempt.head:
            warnings.append(f"attempts.jsonl:{attempt.line}: no verdict or no HEAD; left out")
            continue
        branch = str(attempt.fields.get("branch") or "")
        last = grouped[-1] if grouped else None
        same = last is not None and (last.branch, last.head) == (branch, attempt.head)
        if last is None or not same or "accepted" in last.outcomes:
            grouped.append(JournalTask(branch, attempt.head, (), ()))
        task = grouped[-1]
        grouped[-1] = JournalTask(
            branch,
            task.head,
            (*task.outcomes, attempt.outcome),
            (*task.violations, tuple(attempt.violations)),
        )
    return [_with_bypass(repo, t) for t in grouped], warnings


def _with_bypass(repo: Path, task: JournalTask) -> JournalTask:
    """A task nothing accepted whose branch still moved past its HEAD was bypassed."""
    if "accepted" in task.outcomes or not task.branch:
        return task
    tip = git.text(repo, "rev-parse", "--verify", "-q", f"refs/heads/{task.branch}")
    if not tip or tip == task.head:
        return task
    moved = git.optional(repo, "merge-base", "--is-ancestor", task.head, tip) is not None
    return JournalTask(task.branch, task.head, task.outcomes, task.violations, moved)


def blocks(found: Sequence[JournalTask], oracle: frozenset[str] | None) -> list[Block]:
    def seen(task: JournalTask, index: int) -> tuple[bool, bool]:
        violations = task.violations[index]
        decisions = {str(v.get("decision")) for v in violations}
        remedy = any(str(v.get("remedy") or "").strip() for v in violations)
        return remedy, oracle is not None and not decisions & oracle

    return rejected_blocks(found, seen)


def rejected_blocks(found: Sequence[T], seen: Callable[[T, int], tuple[bool, bool]]) -> list[Block]:
    """Every rejected try of ``found``, in order; ``seen(task, index)`` says whether the
    hooks' message carried a remedy and whether the block was wrong."""
    out: list[Block] = []
    wrong = 0
    for task in found:
        for index, outcome in enumerate(task.outcomes):
            if outcome != "rejected":
                continue
            remedy, was_wrong = seen(task, index)
            wrong += was_wrong
            out.append(Block(remedy, wrong, next_action(task, index)))
    return out


def next_action(task: Tried, index: int) -> str:
    if index + 1 < len(task.outcomes):
        return "repaired" if task.outcomes[index + 1] == "accepted" else "failed"
    return "bypassed" if task.bypassed else "gave-up"


def oracle_ids(folder: Path) -> frozenset[str]:
    """The decision ids of the records in ``folder`` (their front matter's ``id:``)."""
    if not folder.is_dir():
        raise CharterError(f"{folder}: --oracle must be a folder of decision records")
    ids = set()
    for path in sorted(folder.glob("*.md")):
        match = re.search(r"(?m)^id:\s*['\"]?([^'\"\s#]+)", path.read_text(encoding="utf-8"))
        if match:
            ids.add(match.group(1))
    return frozenset(ids)


def wilson(successes: int, n: int) -> Interval:
    if n == 0:
        return Interval(value=0.0, low=0.0, high=1.0, n=0)
    p = successes / n
    centre = (p + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return Interval(value=p, low=max(0.0, centre - half), high=min(1.0, centre + half), n=n)


def logistic(xs: Sequence[int], ys: Sequence[int], slope: bool) -> tuple[Interval, Interval]:
    """MLE of ``P(y) = sigmoid(a + b x)`` (``b`` fixed at 0 unless ``slope``), ridge
    penalised; each with its Wald 95% interval."""
    a, b = 0.0, 0.0
    for _ in range(100):
        ga, gb, haa, hab, hbb = -RIDGE * a, -RIDGE * b, RIDGE, 0.0, RIDGE
        for x, y in zip(xs, ys, strict=True):
            p = sigmoid(a + b * x)
            w = p * (1 - p)
            ga, gb = ga + (y - p), gb + (y - p) * x
            haa, hab, hbb = haa + w, hab + w * x, hbb + w * x * x
        if not slope:
            step_a, step_b = ga / haa, 0.0
        else:
            det = haa * hbb - hab * hab
            step_a, step_b = (hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det
        a, b = a + step_a, b + step_b
        if abs(step_a) + abs(step_b) < 1e-10:
            break
    det = haa * hbb - hab * hab
    var_a = 1 / haa if not slope else hbb / det
    var_b = haa / det if slope else 0.0
    n = len(xs)
    return (
        Interval(value=a, low=a - Z95 * math.sqrt(var_a), high=a + Z95 * math.sqrt(var_a), n=n),
        Interval(value=b, low=b - Z95 * math.sqrt(var_b), high=b + Z95 * math.sqrt(var_b), n=n),
    )


def fit(repo: Path, oracle: Path | None = None) -> tuple[AgentParams, list[str]]:
    """The parameters fitted on ``repo``'s journal, and warnings."""
    found, warnings = tasks(repo)
    if not found:
        raise CharterError(
            f"{journal.folder(repo) / journal.ATTEMPTS}: no judged attempt to calibrate on; "
            "record some with journal = true in [tool.charter] or CHARTER_JOURNAL=1"
        )
    met = blocks(found, oracle_ids(oracle) if oracle is not None else None)
    slope = oracle is not None and len({b.wrong_before for b in met}) > 1
    source = f"charter sim calibrate: {len(found)} tasks, {len(met)} blocks"
    return estimate(met, found, source, bypass_seen=True, slope=slope), warnings


def fit_runs(paths: Sequence[Path]) -> tuple[AgentParams, list[str]]:
    """The parameters fitted on the live agents' tries (``--agent-cmd``) of results
    files, and warnings (runs left out)."""
    from charter.simulator import calibrate_runs

    found, met, warnings = calibrate_runs.read(paths)
    source = (
        f"charter sim calibrate --from-results: {len(found)} tasks of live agents, "
        f"{len(met)} blocks"
    )
    # A live agent commits through the simulator, which never skips the hooks for it:
    # its bypasses cannot be seen, and the bypass parameters keep their defaults.
    return estimate(met, found, source, bypass_seen=False, slope=False), warnings


def estimate(
    met: Sequence[Block],
    found: Sequence[Tried],
    source: str,
    *,
    bypass_seen: bool,
    slope: bool,
) -> AgentParams:
    """Maximum-likelihood parameters, with intervals, from the blocks met and the tasks."""
    repairs = {
        remedy: [b for b in met if b.remedy == remedy and b.action in ("repaired", "failed")]
        for remedy in (True, False)
    }
    fits = {
        f"repair_{'remedy' if r else 'no_remedy'}": wilson(
            sum(b.action == "repaired" for b in repairs[r]), len(repairs[r])
        )
        for r in (True, False)
    }
    defaults = AgentParams()
    logit, slope_fit = defaults.bypass_logit, defaults.bypass_slope
    if bypass_seen:
        logit_fit, slope_interval = logistic(
            [b.wrong_before for b in met], [b.action == "bypassed" for b in met], slope
        )
        fits["bypass_logit"] = logit_fit
        logit = max(-50.0, min(50.0, logit_fit.value))
        if slope:
            fits["bypass_slope"] = slope_interval
            slope_fit = slope_interval.value
    fits["budget"] = _budget(found)
    fits.update(_rates(found, bypass_seen))
    return AgentParams(
        repair_remedy=_or(fits["repair_remedy"], defaults.repair_remedy),
        repair_no_remedy=_or(fits["repair_no_remedy"], defaults.repair_no_remedy),
        # Neither a journal nor a run says, per block, whether the agent had read the rule.
        context_bonus=0.0,
        budget=max(1, round(fits["budget"].value)),
        bypass_logit=logit,
        bypass_slope=slope_fit,
        source=source,
        intervals=fits,
        method=METHOD if bypass_seen else METHOD_RUNS,
    )


def _or(fitted: Interval, default: float) -> float:
    """The fitted value, or the default when nothing was observed."""
    return fitted.value if fitted.n else default


def _budget(found: Sequence[Tried]) -> Interval:
    ended = [len(t.outcomes) for t in found if not t.bypassed]
    gave_up = [len(t.outcomes) for t in found if "accepted" not in t.outcomes and not t.bypassed]
    best = max(ended, default=AgentParams().budget)
    low = min(gave_up, default=best)
    return Interval(value=float(best), low=float(low), high=float(best), n=len(gave_up))


def _rates(found: Sequence[Tried], bypass_seen: bool = True) -> dict[str, Interval]:
    """The recorded retries per task and bypass rate: what a simulation should match."""
    # A bypass is a commit attempt too (one the hooks never saw), as in the simulator.
    retries = [float(len(t.outcomes) - 1 + t.bypassed) for t in found]
    low, high = stats.ci95(retries)
    rates = {
        "retries_per_task": Interval(value=stats.mean(retries), low=low, high=high, n=len(retries))
    }
    if bypass_seen:
        rates["bypass_rate"] = wilson(sum(t.bypassed for t in found), len(found))
    return rates
