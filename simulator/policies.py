"""Counterfactual policies: what the agent does when it has nothing left to try.

When the constraint set under test rejects a change and the recording has no next
attempt (typically: the recording accepted it), the declared policy decides:

- ``abandon``: the task is abandoned;
- ``repair``: with probability ``p_repair`` the agent repairs the change — with
  ``charter fix`` when the installed Charter has it, else by dropping the changes to the
  files the set flags — and commits again (the repair counts as a try); otherwise the
  task is abandoned;
- ``bypass``: with probability ``p_bypass`` the agent commits with ``--no-verify``;
  otherwise the task is abandoned.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from charter.hooks.errors import CharterError
from charter.simulator.records import PolicySettings
from charter.simulator.workspace import Workspace

POLICIES = ("abandon", "repair", "bypass")


@dataclass(frozen=True)
class Policy:
    name: str = "abandon"
    p_repair: float = 1.0
    p_bypass: float = 1.0

    def __post_init__(self) -> None:
        if self.name not in POLICIES:
            raise CharterError(f"--policy {self.name}: use one of {', '.join(POLICIES)}")
        for flag, p in (("--p-repair", self.p_repair), ("--p-bypass", self.p_bypass)):
            if not 0.0 <= p <= 1.0:
                raise CharterError(f"{flag} {p}: a probability is between 0 and 1")

    def decide(self, rng: random.Random) -> str:
        """``abandon``, ``repair`` or ``bypass`` for one rejected task (one draw)."""
        draw = rng.random()
        if self.name == "repair" and draw < self.p_repair:
            return "repair"
        if self.name == "bypass" and draw < self.p_bypass:
            return "bypass"
        return "abandon"

    def settings(self) -> PolicySettings:
        return PolicySettings(name=self.name, p_repair=self.p_repair, p_bypass=self.p_bypass)


def repair(ws: Workspace, base: str) -> str | None:
    """Repair the staged, rejected change in place; how (``fix``/``drop``) or None."""
    if ws.has_fix:
        result = ws.charter("fix")
        fixed = result.returncode == 1 and "Fixing " in result.stdout
        if fixed and ws.stage():
            return "fix"  # else nothing had an autofix: drop the flagged files
    flagged = sorted({v.path for v in ws.set_staged()})
    if not flagged:
        return None  # nothing the set points at (e.g. a commit-msg rejection)
    ws.drop_files(base, flagged)
    return "drop" if ws.stage() else None
