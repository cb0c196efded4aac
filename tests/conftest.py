"""Shared helpers: throwaway repositories and two ways to run the ``charter`` CLI.

Every test builds its repository under its own ``tmp_path``; the shipped examples are
only ever read. ``charter`` runs the CLI in-process (fast); ``run_cli`` runs the real
``python -m charter.hooks`` in a subprocess, for the few tests that need a real process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from charter.hooks import cli

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
DECISIONS = "docs/decisions"
PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\n'

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


def run_cli(*args: str, cwd: Path) -> Result:
    """Run the real CLI in a subprocess from ``cwd``."""
    result = subprocess.run(
        [sys.executable, "-m", "charter.hooks", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _no_charter_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """``CHARTER_*`` variables of the developer's shell must not change any result."""
    for name in list(os.environ):
        if name.startswith("CHARTER_"):
            monkeypatch.delenv(name)
    # `charter sim` picks docker when an engine answers: tests choose their sandbox.
    monkeypatch.setenv("CHARTER_SIM_SANDBOX", "local")


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


@pytest.fixture
def git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fixed author and committer for the commits a test makes."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Agent")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "agent@example.invalid")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty git repository with a pyproject.toml and a ``docs/decisions/`` folder."""
    root = make_repo(tmp_path / "repo")
    (root / DECISIONS).mkdir(parents=True)
    return root


@pytest.fixture
def charter(capsys: pytest.CaptureFixture[str]) -> Charter:
    """Call ``charter.hooks.cli.main`` in-process: ``charter("validate", "--root", p)``."""

    def run(*args: str | Path) -> Result:
        capsys.readouterr()
        code = cli.main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


# -- Docker -------------------------------------------------------------------------
#: The base image of the docker tests: made offline by .ci/docker-base (debootstrap).
DOCKER_BASE = os.environ.get("CHARTER_TEST_DOCKER_BASE", "charter-sim-base:bookworm")


def _no_docker(reason: str) -> None:
    """In CI (CI=true) a missing engine is a failure; elsewhere the test is skipped."""
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def docker_client() -> object:
    """A client of a Docker engine that answers and has the tests' base image."""
    from charter.hooks.errors import CharterError
    from charter.simulator.sandbox import docker

    try:
        client = docker.connect(timeout=600)
    except CharterError as exc:
        _no_docker(str(exc))
    try:
        client.images.get(DOCKER_BASE)
    except Exception:
        _no_docker(f"no base image {DOCKER_BASE} (make it with .ci/docker-base)")
    return client


@pytest.fixture(scope="session")
def sandbox_image(docker_client: object, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sandbox image built from the base image, once (a lock serialises the workers)."""
    import fcntl

    from charter.simulator.sandbox import image

    lock = tmp_path_factory.getbasetemp().parent / "charter-sandbox-image.lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        return image.build(docker_client, DOCKER_BASE, also=None, source=REPO).tag
