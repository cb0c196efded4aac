"""Tiny scenarios for the simulator's tests, built with real git diffs.

``tiny`` (chained): a package ``app`` with ``api``, ``db`` and ``service`` modules. The
oracle forbids ``app.api`` importing ``app.db`` (ADR-1). Set ``baseline`` bans ``eval``
(BAN-1, not a true violation by the oracle); set ``strict`` bans ``eval`` and forbids the
import; set ``empty`` has no constraint. Recorded under ``baseline``:

- T001: 1 accepted — api imports db (a true violation that escapes under baseline);
- T002: 1 rejected (eval: a false block), 2 accepted (repaired);
- T003: 1 accepted — edits the line T001 added (diverges when T001 did not land);
- T004: 1 accepted — a new ``app.api_v2`` importing db (a true violation) and a clean
  change to ``db.py`` (what a repair that drops the flagged file keeps).
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import yaml

PYPROJECT = '[project]\nname = "tiny"\nversion = "0"\n\n[tool.charter]\nsource_roots = ["src"]\n'
ORACLE = """\
---
id: ADR-1
title: The API never touches the database
status: accepted
constraints:
  - kind: forbid-import
    from: [app.api, app.api_v2]
    to: app.db
    optional: [app.api_v2]  # written by a task, absent at the base
    message: Go through app.service.
---
"""
BAN = """\
---
id: BAN-1
title: No eval
status: accepted
constraints:
  - kind: banned-api
    names: [builtins.eval]
    message: eval is banned.
---
"""
FILES = {
    "src/app/__init__.py": "",
    "src/app/db.py": "def query():\n    return [1, 2]\n",
    "src/app/service.py": "from app import db\n\n\ndef rows():\n    return db.query()\n",
    "src/app/api.py": "from app import service\n\n\ndef handler():\n    return service.rows()\n",
}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def author_git(repo: Path, *args: str) -> str:
    """git as the tests' author (``t``, for commits); its stdout, stripped."""
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


def commit_files(repo: Path, files: dict[str, str], message: str) -> str:
    """Write ``files`` and commit the whole work tree; the new commit's id."""
    write(repo, files)
    author_git(repo, "add", "-A")
    author_git(repo, "commit", "-qm", message)
    return author_git(repo, "rev-parse", "HEAD")


def tiny_history(repo: Path) -> str:
    """A new repository at ``repo``, its first commit the tiny app; that commit's id."""
    repo.mkdir(parents=True, exist_ok=True)
    author_git(repo, "init", "-q", "-b", "main")
    return commit_files(repo, {"pyproject.toml": PYPROJECT, **FILES}, "base")


def diff_of(repo: Path, files: dict[str, str]) -> str:
    """The diff that writes ``files`` on HEAD; the work tree is left as HEAD has it."""
    write(repo, files)
    author_git(repo, "add", "-A")
    diff = author_git(repo, "diff", "--cached") + "\n"
    author_git(repo, "reset", "-q", "--hard", "HEAD")
    return diff


class Builder:
    """Records diffs against a scratch git repository, and writes the scenario folder."""

    def __init__(self, root: Path, name: str, files: dict[str, str]) -> None:
        self.folder = root / name
        self.scratch = root / f"{name}-scratch"
        self.name = name
        self.tasks: list[dict[str, object]] = []
        write(self.folder / "repo", {"pyproject.toml": PYPROJECT, **files})
        (self.folder / "repo" / "docs" / "decisions").mkdir(parents=True)
        shutil.copytree(self.folder / "repo", self.scratch)
        git(self.scratch, "init", "-q", "-b", "main")
        git(self.scratch, "add", "-A")
        git(self.scratch, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")

    def diff(self, files: dict[str, str | None]) -> str:
        """The diff from the scratch HEAD to HEAD + ``files`` (None deletes a file)."""
        self._stage(files)
        out = git(self.scratch, "diff", "--cached", "--binary")
        git(self.scratch, "reset", "-q", "--hard", "HEAD")
        git(self.scratch, "clean", "-qfd")
        return out

    def land(self, files: dict[str, str | None]) -> None:
        """Commit ``files`` in the scratch repository: the next task starts from there."""
        self._stage(files)
        git(self.scratch, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")

    def _stage(self, files: dict[str, str | None]) -> None:
        for rel, text in files.items():
            if text is None:
                (self.scratch / rel).unlink()
            else:
                write(self.scratch, {rel: text})
        git(self.scratch, "add", "-A")

    def task(self, ident: str, prompt: str, attempts: list[tuple[str, str, str]]) -> None:
        """attempts: (diff text, message, outcome)."""
        entries = []
        for number, (diff, message, outcome) in enumerate(attempts, start=1):
            rel = f"tasks/{ident}/{number}.diff"
            write(self.folder, {rel: diff})
            entries.append({"patch": rel, "message": message, "outcome": outcome})
        self.tasks.append({"id": ident, "prompt": prompt, "attempts": entries})

    def finish(self, sets: dict[str, list[str]], oracle: list[str], **extra: object) -> Path:
        for name, decisions in {**sets, "oracle": oracle}.items():
            folder = self.folder / "constraints" / name
            folder.mkdir(parents=True, exist_ok=True)
            for index, text in enumerate(decisions, start=1):
                (folder / f"{index:04d}.md").write_text(text, encoding="utf-8")
        data = {
            "schema": "charter-scenario/1",
            "name": self.name,
            "description": "test scenario",
            "repo": "repo/",
            "oracle": "constraints/oracle/",
            "constraint_sets": {name: f"constraints/{name}/" for name in sets},
            "recorded_with": "baseline",
            "mode": "chained",
            **extra,
            "tasks": self.tasks,
        }
        (self.folder / "scenario.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
        shutil.rmtree(self.scratch)
        return self.folder


API_WITH_DB = "from app import db, service\n\n\ndef handler():\n    return service.rows()\n"
API_WITH_DB_2 = "from app import service, db\n\n\ndef handler():\n    return service.rows()\n"
DB_V2 = "def query():\n    return [1, 2, 3]\n"
API_V2 = "from app import db\n\n\ndef handler():\n    return db.query()\n"
SERVICE_EVAL = "from app import db\n\n\ndef rows():\n    return eval('db.query()')\n"
SERVICE_OK = "from app import db\n\n\ndef rows():\n    return list(db.query())\n"


def tiny(root: Path, name: str = "tiny", mode: str = "chained") -> Path:
    """The chained scenario described in the module docstring."""
    b = Builder(root, name, FILES)
    t1 = b.diff({"src/app/api.py": API_WITH_DB})
    b.task("T001", "Let the API reach the data", [(t1, "API uses db", "accepted")])
    if mode == "chained":
        b.land({"src/app/api.py": API_WITH_DB})
    bad = b.diff({"src/app/service.py": SERVICE_EVAL})
    good = b.diff({"src/app/service.py": SERVICE_OK})
    b.task(
        "T002",
        "Return a list from the service",
        [(bad, "Use eval", "rejected"), (good, "Return a list", "accepted")],
    )
    if mode == "chained":
        b.land({"src/app/service.py": SERVICE_OK})
        t3 = b.diff({"src/app/api.py": API_WITH_DB_2})
    else:
        t3 = b.diff({"src/app/api.py": API_WITH_DB_2})
    b.task("T003", "Reorder the imports", [(t3, "Reorder imports", "accepted")])
    if mode == "chained":
        b.land({"src/app/api.py": API_WITH_DB_2})
    t4 = b.diff({"src/app/db.py": DB_V2, "src/app/api_v2.py": API_V2})
    b.task("T004", "A second API and a faster query", [(t4, "API v2", "accepted")])
    return b.finish({"baseline": [BAN], "strict": [BAN, ORACLE], "empty": []}, [ORACLE], mode=mode)


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


PROTECT = """\
---
id: MIG-1
title: Applied migrations are frozen
status: accepted
constraints:
  - kind: protected
    paths: ["migrations/0001_init.py"]
    message: Write a new migration instead.
---
"""
MIGRATION = "def upgrade():\n    create('orders')\n"


def frozen(root: Path, name: str = "frozen") -> Path:
    """A chained scenario for the diff-level kinds, judged by ``charter commit-msg``.

    The oracle (and set ``strict``) protect ``migrations/0001_init.py`` (MIG-1); set
    ``baseline`` bans ``eval`` only. Recorded under ``baseline``:

    - T001: 1 accepted — edits the applied migration (a true violation only the
      commit-msg hook sees; it escapes under baseline);
    - T002: 1 rejected — adds an inline waiver: governance blocks it under the set under
      test, but governance is not the oracle's business (a governance block, counted
      apart from false blocks);
    - T003: 1 accepted — a new migration (clean).
    """
    b = Builder(root, name, {**FILES, "migrations/0001_init.py": MIGRATION})
    t1 = b.diff({"migrations/0001_init.py": MIGRATION + "    create('notes')\n"})
    b.task("T001", "Add a notes table", [(t1, "Add notes to 0001", "accepted")])
    b.land({"migrations/0001_init.py": MIGRATION + "    create('notes')\n"})
    allow = "# charter" + ": allow BAN-1 -- demo"  # split: not a waiver in Charter's own tree
    waived = f"from app import db\n\n\ndef rows():\n    return eval('1')  {allow}\n"
    t2 = b.diff({"src/app/service.py": waived})
    b.task("T002", "Evaluate an expression", [(t2, "Waive the eval ban", "rejected")])
    t3 = b.diff({"migrations/0002_notes.py": "def upgrade():\n    create('notes')\n"})
    b.task("T003", "Add the notes table properly", [(t3, "Migration 0002", "accepted")])
    return b.finish({"baseline": [BAN], "strict": [BAN, PROTECT]}, [PROTECT])
