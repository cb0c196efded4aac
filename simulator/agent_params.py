"""The reactive agent's parameters: one typed record, its defaults, its one file format.

The reactive agent (``--agent reactive``, see docs/simulator-agents.md) draws three
choices whenever the set under test blocks one of its tries:

- **bypass** (``git commit --no-verify``: the change lands unjudged, counted as
  bypassed) with probability ``sigmoid(bypass_logit + bypass_slope * w)``, where ``w``
  is the number of wrong blocks (blocks of a try the oracle finds nothing wrong with)
  the agent has met so far in the run — distrust grows with wrong blocks;
- else, when it has used ``budget`` tries, it **gives up** (the task is abandoned);
- else it **repairs** with probability ``repair_remedy`` when the hook's message carries
  a remedy, ``repair_no_remedy`` when it does not, plus ``context_bonus`` when the rule
  was in the agent's context (``charter context`` for the task's files); a failed repair
  resubmits the same change (another blocked try, a retry).

``charter sim calibrate`` fits these from an attempt journal and writes them, with the
fit's intervals, as a ``charter-agent-params/1`` JSON file; ``--agent-params FILE`` reads
it back. The defaults are round numbers, not a fit: calibrate on your own agents.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from charter.hooks.errors import CharterError
from charter.simulator.records import AGENT_PARAMS_SCHEMA as SCHEMA
from charter.simulator.records import AgentParams, Interval, sigmoid

__all__ = ["SCHEMA", "AgentParams", "Interval", "load", "save", "sigmoid"]


def load(path: Path) -> AgentParams:
    """Read a ``charter-agent-params/1`` file; a clear error naming it otherwise."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CharterError(f"{path}: cannot read the agent parameters ({exc.strerror})") from None
    except ValueError as exc:
        raise CharterError(
            f"{path}: not JSON ({exc}); write it with charter sim calibrate"
        ) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise CharterError(f"{path}: not a {SCHEMA} document; write it with charter sim calibrate")
    try:
        return AgentParams.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CharterError(f"{path}: {where}: {first['msg']}") from None


def save(params: AgentParams, path: Path) -> None:
    text = json.dumps(params.as_json(), indent=2, sort_keys=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
