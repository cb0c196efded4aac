"""CI: the GitHub Action's script and the GitLab job's script, run as those CI systems would.

Offline: a real repository with a base commit and a change on top, the variables GitHub
(``GITHUB_EVENT_PATH``, ``GITHUB_OUTPUT``, ``GITHUB_ACTIONS``) or GitLab
(``CI_MERGE_REQUEST_DIFF_BASE_SHA``, ``CI_COMMIT_BEFORE_SHA``) set, and this
environment's ``charter`` on ``PATH`` (the action's install step is pip's).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from support.repo import REPO, commit_all, decision, write_decision, write_file

SCRIPT = REPO / "ci" / "charter-range-check.sh"
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"
ZERO = "0" * 40


@pytest.fixture
def project(repo: Path, git_identity: None) -> tuple[Path, str]:
    """A repository whose last commit breaks ADR-0001; returns it and the base commit."""
    for package in ("app", "app/api", "app/db"):
        write_file(repo, f"{package}/__init__.py")
    write_decision(
        repo,
        "0001-api-db.md",
        decision(
            "ADR-0001",
            extra="""
            constraints:
              - kind: forbid-import
                from: app.api
                to: app.db
                remedy: Call a service.
            """,
        ),
    )
    commit_all(repo, "base")
    base = _git(repo, "rev-parse", "HEAD")
    write_file(repo, "app/api/orders.py", "import app.db\n")
    commit_all(repo, "orders")
    return repo, base


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()


def run(root: Path, command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_"))}
    return subprocess.run(
        command, cwd=root, env={**keep, "PATH": path, **env}, capture_output=True, text=True
    )


def outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines())


def sarif_results(path: Path) -> list[dict[str, Any]]:
    log = json.loads(path.read_text())
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    results: list[dict[str, Any]] = log["runs"][0]["results"]
    return results


def github_run(
    root: Path, event: dict[str, Any], tmp: Path, **env: str
) -> subprocess.CompletedProcess[str]:
    (tmp / "event.json").write_text(json.dumps(event))
    return run(
        root,
        ["bash", str(SCRIPT)],
        GITHUB_ACTIONS="true",
        GITHUB_EVENT_PATH=str(tmp / "event.json"),
        GITHUB_OUTPUT=str(tmp / "output"),
        CHARTER_SARIF=str(tmp / "charter.sarif"),
        **env,
    )


def test_a_pull_request_gets_sarif_annotations_and_a_deferred_verdict(
    project: tuple[Path, str], tmp_path: Path
) -> None:
    root, base = project
    event = {"pull_request": {"base": {"sha": base}}}
    result = github_run(root, event, tmp_path, CHARTER_DEFER_EXIT="1")
    assert result.returncode == 0, result.stderr  # the upload step runs before the verdict
    assert outputs(tmp_path / "output") == {
        "sarif": str(tmp_path / "charter.sarif"),
        "exit-code": "1",
    }
    (finding,) = sarif_results(tmp_path / "charter.sarif")
    location = finding["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "app/api/orders.py"
    assert "ADR-0001" in json.dumps(finding)
    assert "::error file=app/api/orders.py,line=1" in result.stdout


def test_a_push_is_judged_against_the_commit_before_it(
    project: tuple[Path, str], tmp_path: Path
) -> None:
    root, base = project
    result = github_run(root, {"before": base}, tmp_path)
    assert result.returncode == 1
    assert f"over {base[:7]}" in result.stdout
    # Only what the range introduces: the same violation already in the base is not news.
    clean = github_run(root, {"before": _git(root, "rev-parse", "HEAD")}, tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert sarif_results(tmp_path / "charter.sarif") == []


def test_a_new_branch_checks_the_whole_tree(project: tuple[Path, str], tmp_path: Path) -> None:
    root, _ = project
    result = github_run(root, {"before": ZERO}, tmp_path)
    assert result.returncode == 1
    assert "no base commit" in result.stdout
    assert len(sarif_results(tmp_path / "charter.sarif")) == 1


def test_a_base_missing_from_a_shallow_clone_is_a_clear_error(
    project: tuple[Path, str], tmp_path: Path
) -> None:
    root, _ = project
    result = github_run(root, {"before": "1" * 40}, tmp_path)
    assert result.returncode == 2
    assert "fetch-depth: 0" in result.stderr


def test_the_action_runs_the_script_then_uploads_the_sarif() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = {
        step.get("id") or step.get("name") or step["uses"]: step for step in action["runs"]["steps"]
    }
    check = steps["check"]
    assert check["run"] == '"$GITHUB_ACTION_PATH/ci/charter-range-check.sh"'
    assert check["env"]["CHARTER_DEFER_EXIT"] == "1"
    upload = steps["Upload SARIF to code scanning"]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ steps.check.outputs.sarif }}"
    assert upload["if"].startswith("always()")
    assert "exit ${{ steps.check.outputs.exit-code" in steps["Verdict"]["run"]
    used = set(re.findall(r"inputs\.([a-z-]+)", (REPO / "action.yml").read_text()))
    assert used == set(action["inputs"])
    assert os.access(SCRIPT, os.X_OK)


def gitlab_script() -> str:
    job = yaml.safe_load((REPO / "ci" / "gitlab-charter.yml").read_text())["charter"]
    assert job["variables"]["GIT_DEPTH"] == "0"
    assert job["artifacts"] == {"when": "always", "paths": ["charter.sarif"]}
    return "\n".join(job["script"])


def test_the_gitlab_job_checks_a_merge_request(project: tuple[Path, str]) -> None:
    root, base = project
    result = run(root, ["sh", "-c", gitlab_script()], CI_MERGE_REQUEST_DIFF_BASE_SHA=base)
    assert result.returncode == 1
    assert "app/api/orders.py:1:1: ADR-0001 [forbid-import]" in result.stdout
    assert len(sarif_results(root / "charter.sarif")) == 1


def test_the_gitlab_job_on_a_new_branch_and_on_a_clean_push(project: tuple[Path, str]) -> None:
    root, _ = project
    assert run(root, ["sh", "-c", gitlab_script()], CI_COMMIT_BEFORE_SHA=ZERO).returncode == 1
    head = _git(root, "rev-parse", "HEAD")
    clean = run(root, ["sh", "-c", gitlab_script()], CI_COMMIT_BEFORE_SHA=head)
    assert clean.returncode == 0, clean.stdout + clean.stderr
