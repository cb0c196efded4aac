"""``charter init``: starter decisions that hold, on a small repository and on httpx's sdist.

The end-to-end test takes a real project nobody here wrote (httpx, from its sdist on
PyPI, downloaded once into pytest's cache), runs ``charter init``, commits what it
wrote through real pre-commit hooks, accepts the proposals, and shows that a commit
breaking an inferred layer is blocked.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.support.repo import Charter, make_repo, write_file

HTTPX = "httpx==0.28.1"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Lead",
    "GIT_AUTHOR_EMAIL": "lead@example.invalid",
    "GIT_COMMITTER_NAME": "Lead",
    "GIT_COMMITTER_EMAIL": "lead@example.invalid",
}


def _layered_app(root: Path) -> Path:
    make_repo(root)
    write_file(root, "app/__init__.py")
    write_file(root, "app/api.py", "from app import services\n")
    write_file(root, "app/services.py", "import app.db\nimport requests\n")
    write_file(root, "app/db.py", "import sqlite3\n")
    write_file(root, "app/util.py", "")
    return root


def test_init_infers_layers_from_who_imports_whom(tmp_path: Path, charter: Charter) -> None:
    root = _layered_app(tmp_path / "repo")
    code, out, err = charter("init", "--root", root)
    assert code == 0, err
    layers = (root / "docs/decisions/0001-app-layers.md").read_text()
    assert "status: proposed" in layers
    assert "layers:\n  - api\n  - services\n  - [db, util]\n" in layers
    assert "Independent today (siblings on one level): db, util" in layers
    deps = (root / "docs/decisions/0003-app-dependencies.md").read_text()
    assert "allow: [requests]" in deps  # sqlite3 is the standard library
    assert "wrote .pre-commit-config.yaml" in out
    assert "charter init --accept" in out
    code, out, _ = charter("validate", "--root", root)
    assert code == 0, out


def test_init_again_writes_nothing_and_keeps_a_users_edits(
    tmp_path: Path, charter: Charter
) -> None:
    root = _layered_app(tmp_path / "repo")
    charter("init", "--root", root)
    record = root / "docs/decisions/0001-app-layers.md"
    record.write_text(record.read_text() + "\nOur note.\n")
    code, out, _ = charter("init", "--root", root)
    assert code == 0
    assert "nothing to write" in out
    assert record.read_text().endswith("Our note.\n")
    assert sorted(p.name for p in (root / "docs/decisions").iterdir()) == [
        "0001-app-layers.md",
        "0002-app-acyclic.md",
        "0003-app-dependencies.md",
    ]
    charter("init", "--root", root, "--force")
    assert "Our note." not in record.read_text()


def test_accept_enforces_the_proposals(tmp_path: Path, charter: Charter) -> None:
    root = _layered_app(tmp_path / "repo")
    charter("init", "--root", root, "--accept")
    assert "status: accepted" in (root / "docs/decisions/0001-app-layers.md").read_text()
    write_file(root, "app/db.py", "import sqlite3\nfrom app import api\n")
    code, out, _ = charter("check", "--all", "--root", root)
    assert code == 1
    assert "app/db.py:2:1: ADR-0001 [layers]" in out


def _sdist(cache: Path, requirement: str) -> Path:
    found = sorted(cache.glob("*.tar.gz"))
    if not found:
        pip = [sys.executable, "-m", "pip", "download", "-q", "--no-binary", ":all:"]
        subprocess.run(
            [*pip, "--no-deps", "-d", str(cache), requirement],
            check=True,
            capture_output=True,
        )
        found = sorted(cache.glob("*.tar.gz"))
    return found[0]


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)


@pytest.mark.slow
def test_init_on_httpx_commits_cleanly_then_blocks_a_broken_layer(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    sdist = _sdist(request.config.cache.mkdir("sdist-httpx"), HTTPX)
    root = tmp_path / "httpx"
    with tarfile.open(sdist) as archive:
        if hasattr(tarfile, "data_filter"):  # Python 3.12+, and security releases before it
            archive.extractall(tmp_path, filter="data")
        else:
            archive.extractall(tmp_path)
    (tmp_path / sdist.name.removesuffix(".tar.gz")).rename(root)
    bin_dir = str(Path(sys.executable).parent)  # ``charter`` and ``pre-commit`` live here
    env = {
        **os.environ,
        **GIT_ENV,
        "PATH": bin_dir + os.pathsep + os.environ["PATH"],
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
    }
    for args in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "httpx"]):
        assert _run(args, root, env).returncode == 0

    init = _run(["charter", "init"], root, env)
    assert init.returncode == 0, init.stderr
    assert "wrote docs/decisions/0001-httpx-layers.md" in init.stdout
    trailer = "Charter-Approved-By: Lead"  # the new baseline holds today's cycles
    assert "Charter-Approved-By" in init.stdout
    hooks = ["pre-commit", "install", "--hook-type", "pre-commit", "--hook-type", "commit-msg"]
    assert _run(hooks, root, env).returncode == 0
    _run(["git", "add", "-A"], root, env)
    adopt = _run(["git", "commit", "-qm", "Adopt Charter", "-m", trailer], root, env)
    assert adopt.returncode == 0, adopt.stdout + adopt.stderr

    assert "nothing to write" in _run(["charter", "init"], root, env).stdout
    accept = _run(["charter", "init", "--accept"], root, env)
    assert "0001-httpx-layers.md (accepted)" in accept.stdout
    _run(["git", "add", "-A"], root, env)
    accepted = _run(["git", "commit", "-qm", "Accept the inferred decisions"], root, env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr

    models = root / "httpx" / "_models.py"
    models.write_text(models.read_text() + "\nfrom ._client import Client  # noqa\n")
    _run(["git", "add", "-A"], root, env)
    broken = _run(["git", "commit", "-qm", "Models reach up to the client"], root, env)
    assert broken.returncode != 0
    blocked = "ADR-0001 [layers] httpx._models (layer httpx._models) imports httpx._client"
    assert blocked in broken.stdout + broken.stderr
    head = _run(["git", "log", "-1", "--format=%s"], root, env).stdout.strip()
    assert head == "Accept the inferred decisions"
