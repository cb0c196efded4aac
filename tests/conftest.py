"""Fixtures only; the helpers tests import live in the ``support`` package (tests/support/).

``charter`` runs the CLI in-process (fast); ``repo`` is an empty git repository; the
Docker fixtures give the sandbox tests an engine and an image, or fail in CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.repo import DECISIONS, DOCKER_BASE, REPO, Charter, Result, make_repo

from charter.hooks import cli


@pytest.fixture(autouse=True)
def _no_charter_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """``CHARTER_*`` variables of the developer's shell must not change any result."""
    for name in list(os.environ):
        if name.startswith("CHARTER_"):
            monkeypatch.delenv(name)
    # `charter sim` picks docker when an engine answers: tests choose their sandbox.
    monkeypatch.setenv("CHARTER_SIM_SANDBOX", "local")


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
