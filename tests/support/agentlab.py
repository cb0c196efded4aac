"""A scripted agent committing under Charter's real hooks, with known probabilities.

The lab is a real git repository whose ``pre-commit`` hook is ``charter check --staged``
(the journal on), with three decisions: LS-1 forbids ``app.api`` -> ``app.db`` (with a
remedy), LS-2 forbids ``print(`` (no remedy) and LS-3 forbids ``TODO`` (no remedy, and a
wrong rule: the oracle does not hold it). Each task works on its own branch from the base
commit: its first attempt adds a function at the end of ``app/api.py`` and, unless it is
clean, an offending line at the top. Blocked, the agent follows the reactive agent's
model with ``TRUE`` parameters: bypass (``--no-verify``) with ``sigmoid(logit + slope *
wrong blocks met)``, give up after ``budget`` tries, else repair (drop the offending
line) with the remedy-dependent probability or resubmit the same change.
"""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

from charter.simulator.records import AgentParams

TRUE = AgentParams(
    repair_remedy=0.75,
    repair_no_remedy=0.3,
    context_bonus=0.0,
    budget=3,
    bypass_logit=-2.5,
    bypass_slope=0.3,
)
OFFENCES = {
    "clean": None,
    "LS-1": "from app import db  # noqa: F401\n",
    "LS-2": 'print("debug")\n',
    "LS-3": "# TODO: tidy this up\n",
}

DECISION = """---
id: {id}
title: {title}
status: accepted
constraints:
  - {constraint}
---
# {title}
"""
RULES = {
    "LS-1": (
        "The API does not reach the database",
        "kind: forbid-import\n    from: app.api\n    to: [app.db]\n"
        "    message: The API goes through services.\n"
        "    remedy: Call a function of app.service instead.",
    ),
    "LS-2": (
        "No print in the application",
        "kind: forbid-pattern\n    pattern: 'print\\('\n    files: ['src/**/*.py']\n"
        "    message: Use logging, not print.",
    ),
    "LS-3": (
        "No TODO comments",
        "kind: forbid-pattern\n    pattern: TODO\n    files: ['src/**/*.py']\n"
        "    message: TODO comments are not allowed.",
    ),
}
API = "from app import service\n\n\ndef index():\n    return service.items()\n"


def write_decisions(folder: Path, ids: tuple[str, ...]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for ident in ids:
        title, constraint = RULES[ident]
        text = DECISION.format(id=ident, title=title, constraint=constraint)
        (folder / f"{ident.lower()}.md").write_text(text, encoding="utf-8")


class Lab:
    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.rng = random.Random(seed)
        self.wrong = 0
        self.env = {**os.environ, "CHARTER_JOURNAL": "1"}

    def git(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", *args], cwd=self.root, env=self.env, capture_output=True, text=True
        )

    def setup(self) -> None:
        self.root.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")
        # A root commit first: the importer looks at each base's parent.
        self.git("commit", "-q", "--allow-empty", "--no-verify", "-m", "root")
        files = {
            "pyproject.toml": '[project]\nname = "lab"\nversion = "0"\n',
            "src/app/__init__.py": "",
            "src/app/db.py": "ROWS = [1, 2]\n",
            "src/app/service.py": "from app import db\n\n\ndef items():\n    return db.ROWS\n",
            "src/app/api.py": API,
        }
        for rel, text in files.items():
            (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
            (self.root / rel).write_text(text, encoding="utf-8")
        write_decisions(self.root / "docs" / "decisions", tuple(RULES))
        hook = self.root / ".git" / "hooks" / "pre-commit"
        hook.write_text("#!/bin/sh\nexec charter check --staged\n", encoding="utf-8")
        hook.chmod(0o755)
        self.git("add", "-A")
        self.git("commit", "-q", "--no-verify", "-m", "base")

    def task(self, number: int, offence: str) -> str:
        """One task; its outcome (landed, bypassed, abandoned)."""
        self.git("checkout", "-q", "-B", f"t{number}", "main")
        body = f"\n\ndef feature_{number}():\n    return {number}\n"
        self._write(OFFENCES[offence] or "", body)
        tries = 0
        while True:
            tries += 1
            if self.git("commit", "-q", "-m", f"Task {number} try {tries}").returncode == 0:
                return "landed"
            self.wrong += offence == "LS-3"
            p_bypass = TRUE.p_bypass(self.wrong)
            if self.rng.random() < p_bypass:
                self.git("commit", "-q", "--no-verify", "-m", f"Task {number} (no verify)")
                return "bypassed"
            if tries >= TRUE.budget:
                self.git("reset", "-q", "--hard")
                return "abandoned"
            if self.rng.random() < TRUE.p_repair(offence == "LS-1", False):
                self._write("", body)  # the repair: the offending line dropped

    def _write(self, top: str, body: str) -> None:
        (self.root / "src/app/api.py").write_text(top + API + body, encoding="utf-8")
        self.git("add", "-A")

    def run(self, tasks: int) -> list[str]:
        kinds, weights = ["clean", "LS-1", "LS-2", "LS-3"], [0.2, 0.35, 0.35, 0.1]
        outcomes = [self.task(1, "clean")]  # the first task lands: a shared base
        for number in range(2, tasks + 1):
            offence = self.rng.choices(kinds, weights)[0]
            outcomes.append(self.task(number, offence))
        self.git("checkout", "-q", "main")
        return outcomes
