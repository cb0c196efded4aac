"""``charter fix``: LibCST autofixes, as before/after fixtures in tests/data/fix/.

Each case is a file ``before.py`` that breaks a decision with an autofix and the
``after.py`` that ``charter fix`` must turn it into, byte for byte (formatting and
comments kept); a second run must change nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.repo import Charter, decision, write_decision, write_file

DATA = Path(__file__).parent / "data" / "fix"

DECISIONS = {
    "0001-clock.md": decision(
        "ADR-0001",
        extra="""
        constraints:
          - kind: banned-api
            names: [datetime.datetime.now]
            replacement: app.clock.now
        """,
    ),
    "0002-api-db.md": decision(
        "ADR-0002",
        extra="""
        constraints:
          - kind: forbid-import
            from: app.api
            to: [app.db]
            replacement: app.repositories
        """,
    ),
    "0003-mock.md": decision(
        "ADR-0003",
        extra="""
        constraints:
          - kind: forbid-import
            from: app
            to: [mock]
            replacement: unittest.mock
        """,
    ),
}
# Where each case's file lives: the API package for the import rewrite it tests.
PLACES = {
    "banned-alias": "app/billing.py",
    "banned-from-import": "app/stamps.py",
    "banned-still-used": "app/stamps.py",
    "import-module": "app/helpers.py",
    "import-as-name": "app/api/handlers.py",
}


@pytest.fixture
def project(repo: Path) -> Path:
    for name, text in DECISIONS.items():
        write_decision(repo, name, text)
    for package in ("app", "app/api", "app/db", "app/repositories", "app/services"):
        write_file(repo, f"{package}/__init__.py")
    write_file(repo, "app/clock.py", "def now(): ...\n")
    return repo


@pytest.mark.parametrize("case", sorted(PLACES))
def test_fix_turns_before_into_after(project: Path, charter: Charter, case: str) -> None:
    rel = PLACES[case]
    target = project / rel
    target.write_text((DATA / case / "before.py").read_text())
    assert charter("fix", "--root", project) == (1, f"Fixing {rel}\n", "")
    assert target.read_text() == (DATA / case / "after.py").read_text()
    assert charter("fix", "--root", project) == (0, "", "")  # idempotent
    assert charter("check", "--all", "--root", project)[0] == 0


def test_diff_shows_the_fix_without_writing(project: Path, charter: Charter) -> None:
    before = (DATA / "banned-alias" / "before.py").read_text()
    write_file(project, "app/billing.py", before)
    code, out, _ = charter("fix", "--diff", "--root", project)
    assert code == 1
    assert out.startswith("--- a/app/billing.py\n+++ b/app/billing.py\n")
    assert "-import datetime as dt\n+from app.clock import now\n" in out
    assert (project / "app/billing.py").read_text() == before


def test_only_the_named_files_are_fixed(project: Path, charter: Charter) -> None:
    for rel in ("app/billing.py", "app/stamps.py"):
        write_file(project, rel, (DATA / "banned-alias" / "before.py").read_text())
    assert charter("fix", "--root", project, "app/stamps.py") == (1, "Fixing app/stamps.py\n", "")
    assert "dt.datetime.now()" in (project / "app/billing.py").read_text()


def test_waived_violations_are_left_alone(project: Path, charter: Charter) -> None:
    text = "import datetime\n\nT = datetime.datetime.now()  # charter: allow ADR-0001 -- audit\n"
    write_file(project, "app/audit.py", text)
    assert charter("fix", "--root", project) == (0, "", "")
    assert (project / "app/audit.py").read_text() == text


def test_violations_without_a_replacement_are_not_touched(project: Path, charter: Charter) -> None:
    write_decision(
        project,
        "0004-pickle.md",
        decision("ADR-0004", extra="constraints:\n  - kind: banned-api\n    names: [pickle.loads]"),
    )
    text = "import pickle\n\nX = pickle.loads(b'')\n"
    write_file(project, "app/cache.py", text)
    assert charter("fix", "--root", project) == (0, "", "")
    assert (project / "app/cache.py").read_text() == text


def test_a_replacement_needs_plain_to_modules(project: Path, charter: Charter) -> None:
    extra = """
        constraints:
          - kind: forbid-import
            from: app.api
            to: [app.db.*]
            replacement: app.repositories
        """
    write_decision(project, "0002-api-db.md", decision("ADR-0002", extra=extra))
    code, _, err = charter("fix", "--root", project)
    assert code == 2
    assert "'replacement' rewrites imports of the 'to' modules" in err
