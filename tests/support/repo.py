"""Throwaway repositories and the real ``charter`` CLI in a subprocess, for every test.

Every test builds its repository under its own ``tmp_path``; the shipped examples are
only ever read. ``run_cli`` runs the real ``python -m charter.hooks`` in a subprocess,
for the few tests that need a real process (the in-process ``charter`` is a fixture).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
DECISIONS = "docs/decisions"
PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\n'
# Charter's two hooks in a team's .pre-commit-config.yaml, the check at every stage.
PRE_COMMIT = """\
repos:
  - repo: local
    hooks:
      - id: charter-check
        name: charter check
        entry: charter check --staged
        language: system
        pass_filenames: false
        always_run: true
        require_serial: true
        stages: [pre-commit, pre-merge-commit, pre-push, manual]
      - id: charter-commit-msg
        name: charter commit-msg
        entry: charter commit-msg
        language: system
        stages: [commit-msg]
"""
#: The base image of the docker tests: made offline by .ci/docker-base (debootstrap).
DOCKER_BASE = os.environ.get("CHARTER_TEST_DOCKER_BASE", "charter-sim-base:bookworm")

Result = tuple[int, str, str]  # exit code, stdout, stderr
Charter = Callable[..., Result]


def make_repo(root: Path, pyproject: str | None = PYPROJECT) -> Path:
    """A git work tree at ``root`` with a ``pyproject.toml`` (None: without one)."""
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return root


def write_file(root: Path, rel: str, text: str = "") -> Path:
    """Write ``text`` (dedented) to ``root / rel``, creating folders."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def write_decision(root: Path, name: str, text: str | bytes, folder: str = DECISIONS) -> Path:
    """A decision record ``folder/name``; text is dedented so that line 1 is ``---``."""
    if isinstance(text, bytes):
        path = root / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text)
        return path
    return write_file(root, f"{folder}/{name}", text)


def decision(ident: str, status: str = "accepted", extra: str = "", title: str = "T") -> str:
    """Front matter of a minimal decision; ``extra`` holds further YAML lines."""
    lines = ["---", f"id: {ident}", f"title: {title}", f"status: {status}"]
    lines += [line for line in textwrap.dedent(extra).splitlines() if line.strip()]
    return "\n".join([*lines, "---", ""])


def run_cli(*args: str, cwd: Path, stdin: str | None = None, python: Sequence[str] = ()) -> Result:
    """Run the real CLI in a subprocess from ``cwd`` (``python``: the interpreter's own
    options, such as ``-X importtime``)."""
    result = subprocess.run(
        [sys.executable, *python, "-m", "charter.hooks", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout, result.stderr


def git(root: Path, *args: str) -> str:
    """Run git in ``root``; its stdout (a failure raises)."""
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    ).stdout


def commit_all(root: Path, message: str = "change") -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


def install_git_hook(root: Path, name: str, command: str) -> None:
    """A real ``.git/hooks/<name>`` that runs ``charter <command>`` with this Python."""
    path = root / ".git" / "hooks" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m charter.hooks {command}\n')
    path.chmod(0o755)


def validate(charter: Charter, root: Path, *flags: str) -> tuple[int, list[str]]:
    """Exit code and stdout lines of ``charter validate`` on ``root``."""
    code, out, err = charter("validate", "--root", root, *flags)
    assert err == ""
    return code, out.splitlines()
