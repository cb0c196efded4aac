"""The README's pre-commit snippet works as written, at every stage it installs.

The snippet is copied verbatim into a fresh repository; real pre-commit installs it and
real git commits, merges and pushes run it, with the ``charter`` of this environment on
``PATH`` as a user's installation would be.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.docs import fenced, pages

pytestmark = pytest.mark.slow

DECISION = """\
---
id: ADR-0001
title: The API reaches storage only through repositories
status: accepted
constraints:
  - kind: forbid-import
    from: app.api
    to: app.db
    remedy: Call app.repositories instead.
  - kind: protected
    paths: ["migrations/*.sql"]
---
# ADR-0001: The API reaches storage only through repositories
"""
FILES = {
    "pyproject.toml": '[project]\nname = "app"\nversion = "0"\n',
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/db/__init__.py": "",
    "app/repositories/__init__.py": "",
    "migrations/0001_init.sql": "create table invoice (id int);\n",
    "docs/decisions/0001-api-storage.md": DECISION,
}


def git(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run git; the hooks' output (git sends it to stderr) is in ``stdout`` too."""
    return subprocess.run(
        ["git", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    identity = {
        f"GIT_{role}_{key}": value
        for role in ("AUTHOR", "COMMITTER")
        for key, value in (("NAME", "Dev"), ("EMAIL", "dev@example.invalid"))
    }
    return {**os.environ, **identity, "PATH": path, "PRE_COMMIT_HOME": str(tmp_path / "pc")}


@pytest.fixture
def project(tmp_path: Path, env: dict[str, str]) -> Path:
    """A repository with the README's snippet installed and a first commit it passed."""
    root = tmp_path / "project"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (snippet,) = fenced(pages()["README.md"], "yaml")
    (root / ".pre-commit-config.yaml").write_text(snippet)
    assert git(root, env, "init", "-q", "-b", "main").returncode == 0
    installed = subprocess.run(
        ["pre-commit", "install"], cwd=root, env=env, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    for hook in ("pre-commit", "pre-merge-commit", "pre-push", "commit-msg"):
        assert (root / ".git" / "hooks" / hook).is_file(), f"{hook} not installed"
    git(root, env, "add", "-A")
    first = git(root, env, "commit", "-m", "Start")
    assert first.returncode == 0, first.stdout + first.stderr
    return root


def test_a_commit_that_breaks_a_decision_is_blocked(project: Path, env: dict[str, str]) -> None:
    (project / "app/api/routes.py").write_text("import app.repositories\n")
    git(project, env, "add", "-A")
    assert git(project, env, "commit", "-m", "Routes").returncode == 0
    (project / "app/api/orders.py").write_text("from app.db import session\n")
    git(project, env, "add", "-A")
    blocked = git(project, env, "commit", "-m", "Orders")
    assert blocked.returncode != 0
    assert "app/api/orders.py:1:1: ADR-0001 [forbid-import]" in blocked.stdout
    assert "remedy: Call app.repositories instead." in blocked.stdout
    assert git(project, env, "log", "--format=%s").stdout.split() == ["Routes", "Start"]


def test_the_commit_msg_stage_guards_protected_files(project: Path, env: dict[str, str]) -> None:
    (project / "migrations/0001_init.sql").write_text("create table invoice (id bigint);\n")
    git(project, env, "add", "-A")
    blocked = git(project, env, "commit", "-m", "Widen the id")
    assert blocked.returncode != 0
    assert "migrations/0001_init.sql" in blocked.stdout
    assert "ADR-0001" in blocked.stdout


def test_the_pre_push_stage_catches_a_commit_made_with_no_verify(
    project: Path, env: dict[str, str], tmp_path: Path
) -> None:
    remote = tmp_path / "remote.git"
    assert git(tmp_path, env, "init", "-q", "--bare", str(remote)).returncode == 0
    git(project, env, "remote", "add", "origin", str(remote))
    first = git(project, env, "push", "-q", "origin", "main")
    assert first.returncode == 0, first.stdout
    (project / "app/api/orders.py").write_text("import app.db\n")
    git(project, env, "add", "-A")
    assert git(project, env, "commit", "--no-verify", "-m", "Sneak").returncode == 0
    pushed = git(project, env, "push", "origin", "main")
    assert pushed.returncode != 0
    assert "app/api/orders.py:1:1: ADR-0001 [forbid-import]" in pushed.stdout
    assert git(remote, env, "log", "--format=%s", "main").stdout.split() == ["Start"]


def test_the_pre_merge_commit_stage_blocks_a_merge_that_brings_a_violation_in(
    project: Path, env: dict[str, str]
) -> None:
    git(project, env, "switch", "-q", "-c", "feature")
    (project / "app/api/orders.py").write_text("import app.db\n")
    git(project, env, "add", "-A")
    assert git(project, env, "commit", "--no-verify", "-m", "Sneak").returncode == 0
    git(project, env, "switch", "-q", "main")
    (project / "app/repositories/invoices.py").write_text("import app.db\n")
    git(project, env, "add", "-A")
    assert git(project, env, "commit", "-m", "Invoices").returncode == 0
    merged = git(project, env, "merge", "--no-ff", "-m", "Merge feature", "feature")
    assert merged.returncode != 0
    assert "ADR-0001 [forbid-import]" in merged.stdout
    assert git(project, env, "log", "-1", "--format=%s").stdout.strip() == "Invoices"
