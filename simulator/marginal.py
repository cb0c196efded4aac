"""The marginal value of each rule of a set: the set replayed without it (leave one out).

For each decision record of set B, B less that record is replayed on every scenario
(epoch 0, the seed of B's own epoch 0: the pair differs only by the rule) and compared
with B: what only that rule catches, the false blocks and lost tasks only it causes.
A rule whose removal changes nothing is redundant on these scenarios (another rule
catches the same tries, or nothing it covers happened).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from charter.simulator.records import RuleValue, Run
from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.sandbox.base import Backend
from charter.simulator.scenario import Scenario

#: What a rule is worth, as B minus (B without the rule): more caught is its benefit,
#: more false blocks, lost tasks and retries its cost.
MEASURES = ("caught_violations", "false_blocks", "governance_blocks", "abandoned", "retries")
_ID = re.compile(r"^id:\s*[\"']?([^\"'\s]+)", re.MULTILINE)


def rules(folder: Path) -> dict[str, Path]:
    """The set's decision records by decision id (the file's stem when it has none)."""
    found: dict[str, Path] = {}
    for record in sorted(folder.glob("*.md")):
        match = _ID.search(record.read_text(encoding="utf-8", errors="replace"))
        found[match.group(1) if match else record.stem] = record
    return found


def _without(scenario: Scenario, set_name: str, record: Path, work: Path) -> Scenario:
    """The scenario with one more set: ``set_name`` less ``record``."""
    folder = work / f"{scenario.name}-{record.stem}"
    shutil.copytree(scenario.constraint_set(set_name), folder)
    (folder / record.name).unlink()
    sets = {**scenario.constraint_sets, f"{set_name}-without": folder}
    return dataclasses.replace(scenario, constraint_sets=sets)


def leave_one_out(
    scenarios: Sequence[Scenario],
    set_name: str,
    baseline: Sequence[Run],
    config: RunConfig,
    backend: Backend,
) -> tuple[RuleValue, ...]:
    """Each rule of ``set_name``'s value, against ``baseline``: its complete epoch-0
    runs of the set on the same scenarios."""
    full = {r.scenario: r for r in baseline if r.set_name == set_name and r.epoch == 0}
    values: dict[str, dict[str, int]] = {}
    with tempfile.TemporaryDirectory(prefix="charter-loo-") as tmp:
        for scenario in scenarios:
            run = full.get(scenario.name)
            if run is None or run.infra_errors:
                continue  # an incomplete run of B is no reference
            for rule, record in rules(scenario.constraint_set(set_name)).items():
                variant = _without(scenario, set_name, record, Path(tmp))
                less = run_unit(variant, f"{set_name}-without", 0, config, backend).run
                if less.infra_errors:
                    continue
                row = values.setdefault(rule, dict.fromkeys(("runs", *MEASURES), 0))
                row["runs"] += 1
                for measure in MEASURES:
                    row[measure] += run.metrics.get(measure, 0) - less.metrics.get(measure, 0)
    return tuple(RuleValue(set_name=set_name, rule=r, **values[r]) for r in sorted(values))


def table(found: Sequence[RuleValue]) -> str:
    """The values as text, one line per rule."""
    if not found:
        return "leave one out: no complete run to compare with"
    lines = [
        f"leave one out: each rule of {found[0].set_name} = set - (set without it), "
        "summed over the scenarios (epoch 0)"
    ]
    for v in found:
        lines.append(
            f"  {v.rule:<16} catches {v.caught_violations:+d} violations, "
            f"{v.false_blocks:+d} false blocks, {v.governance_blocks:+d} governance blocks, "
            f"{v.abandoned:+d} lost tasks, {v.retries:+d} retries ({v.runs} run(s))"
        )
    return "\n".join(lines)
