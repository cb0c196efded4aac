"""Real pre-commit runs Charter's hooks from .pre-commit-hooks.yaml in a temporary repo."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Agent",
    "GIT_AUTHOR_EMAIL": "agent@example.invalid",
    "GIT_COMMITTER_NAME": "Agent",
    "GIT_COMMITTER_EMAIL": "agent@example.invalid",
}

BROKEN = """\
---
id: ADR-0001
title: The API must not import the database
status: acceptd
constraints:
  - kind: forbid-import
    from: app.api
    to: app.db
---
"""
VALID = BROKEN.replace("acceptd", "accepted")


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)}


@pytest.fixture(scope="module")
def charter_rev(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> tuple[Path, str]:
    """This checkout as it is now (uncommitted changes too), committed in a copy."""
    copy = tmp_path_factory.mktemp("charter-src")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        source = REPO / rel
        if source.is_file():
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / rel)
    for args in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "snapshot"]):
        subprocess.run(args, cwd=copy, env=env, check=True)
    rev = run(["git", "rev-parse", "HEAD"], copy, env).stdout.strip()
    return copy, rev


@pytest.fixture
def project(tmp_path: Path, env: dict[str, str]) -> Path:
    root = tmp_path / "project"
    (root / "app" / "api").mkdir(parents=True)
    (root / "app" / "db").mkdir()
    for package in ("app", "app/api", "app/db"):
        (root / package / "__init__.py").write_text("")
    (root / "docs" / "decisions").mkdir(parents=True)
    run(["git", "init", "-q"], root, env)
    return root


def test_commit_of_broken_decision_fails_with_file_and_line(
    project: Path, charter_rev: tuple[Path, str], env: dict[str, str]
) -> None:
    source, rev = charter_rev
    config = {"repos": [{"repo": str(source), "rev": rev, "hooks": [{"id": "charter-validate"}]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    assert run(["pre-commit", "install"], project, env).returncode == 0

    decision = project / "docs" / "decisions" / "0001-api-and-db.md"
    decision.write_text(BROKEN)
    run(["git", "add", "-A"], project, env)
    failed = run(["git", "commit", "-m", "Add ADR-0001"], project, env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert (
        "docs/decisions/0001-api-and-db.md:4: error: status: 'acceptd' is not a status "
        "(did you mean 'accepted'?)"
    ) in failed.stdout + failed.stderr
    assert run(["git", "rev-parse", "--verify", "-q", "HEAD"], project, env).returncode != 0

    decision.write_text(VALID)
    run(["git", "add", "-A"], project, env)
    passed = run(["git", "commit", "-m", "Add ADR-0001"], project, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    hook_output = passed.stdout + passed.stderr
    assert "charter validate" in hook_output and "Passed" in hook_output


def test_try_repo_runs_the_hook_from_this_checkout(project: Path, env: dict[str, str]) -> None:
    (project / "docs" / "decisions" / "0001-api-and-db.md").write_text(BROKEN)
    run(["git", "add", "-A"], project, env)
    result = run(
        ["pre-commit", "try-repo", str(REPO), "charter-validate", "--all-files"], project, env
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "docs/decisions/0001-api-and-db.md:4: error: status: 'acceptd'" in result.stdout


def test_manifest_follows_pre_commit_conventions() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["minimum_pre_commit_version"] == "3.2.0"
        assert hook["id"].startswith("charter-")


def test_charter_check_hook_blocks_a_commit_that_adds_a_violation(
    project: Path, charter_rev: tuple[Path, str], env: dict[str, str]
) -> None:
    source, rev = charter_rev
    hooks = [{"id": "charter-validate"}, {"id": "charter-check"}]
    config = {"repos": [{"repo": str(source), "rev": rev, "hooks": hooks}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    (project / "docs" / "decisions" / "0001-api-and-db.md").write_text(VALID)
    (project / "app" / "api" / "views.py").write_text("X = 1\n")
    run(["git", "add", "-A"], project, env)
    assert run(["git", "commit", "-qm", "initial"], project, env).returncode == 0
    assert run(["pre-commit", "install"], project, env).returncode == 0

    (project / "app" / "api" / "views.py").write_text("from app.db import models\n")
    (project / "app" / "db" / "models.py").write_text("")
    run(["git", "add", "-A"], project, env)
    failed = run(["git", "commit", "-m", "Query the database from the view"], project, env)
    assert failed.returncode == 1
    assert (
        "app/api/views.py:1:1: ADR-0001 [forbid-import] app.api.views imports app.db.models"
        in failed.stdout + failed.stderr
    )

    (project / "app" / "api" / "views.py").write_text("X = 2\n")
    run(["git", "add", "-A"], project, env)
    passed = run(["git", "commit", "-m", "Leave the database alone"], project, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_charter_commit_msg_hook_blocks_governance_weakening_until_approved(
    project: Path, charter_rev: tuple[Path, str], env: dict[str, str]
) -> None:
    source, rev = charter_rev
    hooks = [{"id": "charter-check"}, {"id": "charter-commit-msg"}]
    config = {
        "default_install_hook_types": ["pre-commit", "commit-msg"],
        "repos": [{"repo": str(source), "rev": rev, "hooks": hooks}],
    }
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    decision = project / "docs" / "decisions" / "0001-api-and-db.md"
    decision.write_text(VALID)
    run(["git", "add", "-A"], project, env)
    assert run(["git", "commit", "-qm", "initial"], project, env).returncode == 0
    assert run(["pre-commit", "install"], project, env).returncode == 0
    assert (project / ".git" / "hooks" / "commit-msg").is_file()

    decision.write_text(VALID.replace("status: accepted", "status: deprecated"))
    run(["git", "add", "-A"], project, env)
    failed = run(["git", "commit", "-m", "Relax ADR-0001"], project, env)
    assert failed.returncode == 1
    output = failed.stdout + failed.stderr
    assert "charter [governance] weakens governance" in output
    assert "ADR-0001's status changed from accepted to deprecated" in output

    approved = "Relax ADR-0001\n\nCharter-Approved-By: Dana Lead\n"
    passed = run(["git", "commit", "-m", approved], project, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_charter_agents_md_hook_rewrites_the_block_then_passes(
    project: Path, charter_rev: tuple[Path, str], env: dict[str, str]
) -> None:
    source, rev = charter_rev
    config = {"repos": [{"repo": str(source), "rev": rev, "hooks": [{"id": "charter-agents-md"}]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    (project / "AGENTS.md").write_text("# Notes for agents\n")
    (project / "docs" / "decisions" / "0001-api-and-db.md").write_text(VALID)
    assert run(["pre-commit", "install"], project, env).returncode == 0
    run(["git", "add", "-A"], project, env)
    failed = run(["git", "commit", "-qm", "Add a decision"], project, env)
    assert failed.returncode == 1
    assert "Writing AGENTS.md" in failed.stdout + failed.stderr
    text = (project / "AGENTS.md").read_text()
    assert text.startswith("# Notes for agents\n\n<!-- charter:begin -->\n")
    assert "Do not import app.db from app.api." in text

    run(["git", "add", "-A"], project, env)
    passed = run(["git", "commit", "-qm", "Add a decision"], project, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_charter_fix_manual_hook_rewrites_files_and_reports_them(
    project: Path, charter_rev: tuple[Path, str], env: dict[str, str]
) -> None:
    source, rev = charter_rev
    config = {"repos": [{"repo": str(source), "rev": rev, "hooks": [{"id": "charter-fix"}]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    (project / "docs" / "decisions" / "0001-clock.md").write_text(
        "---\nid: ADR-0001\ntitle: One clock\nstatus: accepted\nconstraints:\n"
        "  - kind: banned-api\n    names: [datetime.datetime.now]\n"
        "    replacement: app.clock.now\n---\n"
    )
    (project / "app" / "clock.py").write_text("def now(): ...\n")
    views = project / "app" / "api" / "views.py"
    views.write_text("import datetime\n\nSTAMP = datetime.datetime.now()  # when loaded\n")
    run(["git", "add", "-A"], project, env)

    fixed = run(
        ["pre-commit", "run", "charter-fix", "--hook-stage", "manual", "--all-files"], project, env
    )
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert "Fixing app/api/views.py" in fixed.stdout
    assert "files were modified by this hook" in fixed.stdout
    assert views.read_text() == "from app.clock import now\n\nSTAMP = now()  # when loaded\n"

    run(["git", "add", "-A"], project, env)
    again = run(
        ["pre-commit", "run", "charter-fix", "--hook-stage", "manual", "--all-files"], project, env
    )
    assert again.returncode == 0, again.stdout + again.stderr
    # Not run at commit time: the hook is opt-in (manual stage only).
    assert run(["pre-commit", "run", "--all-files"], project, env).returncode == 0
