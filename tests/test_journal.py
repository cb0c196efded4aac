"""The attempt journal: real commits through real git hooks, read back complete."""

from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.repo import (
    Charter,
    decision,
    git,
    install_git_hook,
    run_cli,
    write_decision,
    write_file,
)

RULES = decision(
    "ADR-0001",
    extra="""
    constraints:
      - kind: forbid-import
        from: app.api
        to: app.db
        remedy: Call a service instead.
      - kind: protected
        paths: [migrations/]
    """,
)


pytestmark = pytest.mark.usefixtures("git_identity")


@pytest.fixture
def journaled(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for package in ("app", "app/api", "app/db"):
        write_file(repo, f"{package}/__init__.py")
    write_file(repo, "migrations/0001.sql", "CREATE TABLE t (id int);\n")
    write_decision(repo, "0001-rules.md", RULES)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "initial")
    install_git_hook(repo, "pre-commit", "check --staged")
    install_git_hook(repo, "commit-msg", 'commit-msg "$1"')
    monkeypatch.setenv("CHARTER_JOURNAL", "1")
    return repo


def commit(root: Path, message: str) -> int:
    git(root, "add", "-A")
    return subprocess.run(
        ["git", "commit", "-qm", message], cwd=root, capture_output=True
    ).returncode


def test_rejected_and_accepted_attempts_are_read_back_complete(
    journaled: Path, charter: Charter
) -> None:
    head = git(journaled, "rev-parse", "HEAD").strip()
    write_file(journaled, "app/api/views.py", "from app.db import session\n")
    assert commit(journaled, "Query the db from the view") == 1
    write_file(journaled, "app/api/views.py", "from app import services\n")
    write_file(journaled, "migrations/0001.sql", "CREATE TABLE t (id bigint);\n")
    assert commit(journaled, "Use the service; widen ids") == 1  # protected: commit-msg
    git(journaled, "checkout", "HEAD", "--", "migrations/0001.sql")
    assert commit(journaled, "Use the service") == 0

    code, out, _ = charter("journal", "--json", "--root", journaled)
    assert code == 0
    attempts = [json.loads(line) for line in out.splitlines()]
    assert [a["outcome"] for a in attempts] == ["rejected", "rejected", "accepted"]
    assert {a["head"] for a in attempts} == {head}
    assert all(a["branch"] in ("main", "master") for a in attempts)
    first, second, third = attempts
    assert first["files"] == ["app/api/views.py"]
    assert first["message"] is None  # charter-check blocked it before the message
    [violation] = first["violations"]
    assert violation["decision"] == "ADR-0001"
    assert violation["kind"] == "forbid-import"
    assert len(violation["fingerprint"]) == 16
    assert first["latency_ms"] > 0
    assert second["message"] == "Use the service; widen ids\n"
    assert [v["kind"] for v in second["violations"]] == ["protected"]
    assert third["message"] == "Use the service\n"
    assert third["violations"] == []

    journal = journaled / ".git" / "charter" / "journal"
    diff = (journal / "blobs" / first["diff"]).read_text()
    assert "+from app.db import session" in diff
    assert "app/api/views.py" in diff
    assert not any(p.name == "journal" for p in journaled.iterdir())  # not in the work tree
    assert git(journaled, "status", "--porcelain") == ""

    code, out, _ = charter("journal", "--root", journaled)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    assert "rejected" in lines[0] and "ADR-0001" in lines[0]
    assert lines[2].endswith("Use the service")


def test_the_journal_is_off_by_default(journaled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHARTER_JOURNAL")
    write_file(journaled, "app/api/views.py", "X = 1\n")
    assert commit(journaled, "Add a view") == 0
    # .git/charter/ may hold the index's kept listing (source/listing.py); no journal.
    assert not (journaled / ".git" / "charter" / "journal").exists()


def test_concurrent_hooks_never_interleave_lines(journaled: Path, charter: Charter) -> None:
    write_file(journaled, "app/api/views.py", "from app.db import session\n" + "# pad\n" * 3000)
    git(journaled, "add", "-A")
    env = {**os.environ, "CHARTER_JOURNAL": "1"}

    def attempt(_: int) -> int:
        return subprocess.run(
            [sys.executable, "-m", "charter.hooks", "check", "--staged"],
            cwd=journaled,
            env=env,
            capture_output=True,
        ).returncode

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        assert set(pool.map(attempt, range(8))) == {1}
    lines = (journaled / ".git/charter/journal/attempts.jsonl").read_text().splitlines()
    assert len(lines) == 8
    records = [json.loads(line) for line in lines]
    assert len({r["id"] for r in records}) == 8
    assert len({r["diff"] for r in records}) == 1


def test_a_damaged_line_is_skipped_with_a_warning(journaled: Path) -> None:
    write_file(journaled, "app/api/views.py", "X = 1\n")
    assert commit(journaled, "Add a view") == 0
    attempts = journaled / ".git/charter/journal/attempts.jsonl"
    with attempts.open("a") as stream:
        stream.write('{"schema": "charter-journal/1", "id": "cut sho')
    code, out, err = run_cli("journal", "--json", cwd=journaled)
    assert code == 0
    assert len(out.splitlines()) == 1
    assert "attempts.jsonl:3: not a JSON line" in err
