"""``charter check`` on real git repositories: what blocks, what does not, and why."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support.app import LAYERED, write_app
from support.repo import Charter, commit_all, decision, git, write_decision, write_file

pytestmark = pytest.mark.usefixtures("git_identity")


@pytest.fixture
def app(repo: Path) -> Path:
    """A committed flat-layout package app/ with api, services and db, and ADR-0001."""
    write_app(repo, LAYERED)
    commit_all(repo, "initial")
    return repo


def test_clean_commit_is_silent(app: Path, charter: Charter) -> None:
    write_file(app, "app/api/views.py", "from app.services import billing\n\nX = 1\n")
    git(app, "add", "-A")
    assert charter("check", "--staged", "--root", app) == (0, "", "")


def test_introduced_violation_blocks_with_decision_place_and_remedy(
    app: Path, charter: Charter
) -> None:
    write_file(
        app, "app/api/views.py", "from app.services import billing\nfrom app.db import models\n"
    )
    git(app, "add", "-A")
    code, out, _ = charter("check", "--staged", "--root", app)
    assert code == 1
    assert out.splitlines() == [
        "app/api/views.py:2:1: ADR-0001 [forbid-import] Handlers must not touch the database. "
        "(app.api.views imports app.db.models)",
        "  remedy: Call a service from app.services instead.",
        "  decision: docs/decisions/0001-api-db.md",
    ]


def test_preexisting_violation_in_touched_file_does_not_block(app: Path, charter: Charter) -> None:
    write_file(app, "app/api/views.py", "from app.db import models\n")
    commit_all(app, "legacy violation")
    write_file(app, "app/api/views.py", "# a comment\nfrom app.db import models\n\nY = 2\n")
    git(app, "add", "-A")
    code, out, _ = charter("check", "--staged", "--root", app)
    assert code == 0
    assert "charter: 1 pre-existing violation(s) not blocking" in out
    code, out, _ = charter("check", "--all", "--root", app)
    assert code == 1 and "app/api/views.py:2:1: ADR-0001" in out


def test_partially_staged_file_is_judged_by_its_staged_content(app: Path, charter: Charter) -> None:
    views = "app/api/views.py"
    write_file(app, views, "from app.services import billing\nfrom app.db import models\n")
    git(app, "add", views)
    write_file(app, views, "from app.services import billing\n")  # fixed, but not staged
    assert charter("check", "--staged", "--root", app)[0] == 1
    assert charter("check", "--root", app)[0] == 0

    git(app, "add", views)
    write_file(app, views, "from app.db import models\n")  # broken, but not staged
    assert charter("check", "--staged", "--root", app)[0] == 0
    assert charter("check", "--root", app)[0] == 1


def test_range_check_between_refs(app: Path, charter: Charter) -> None:
    base = git(app, "rev-parse", "HEAD").strip()
    write_file(app, "app/api/views.py", "from app.db import models\n")
    commit_all(app, "bad")
    code, out, _ = charter("check", "--from-ref", base, "--to-ref", "HEAD", "--root", app)
    assert code == 1 and "app/api/views.py:1:1: ADR-0001 [forbid-import]" in out


def test_baseline_accepts_legacy_and_survives_line_shifts(app: Path, charter: Charter) -> None:
    write_file(app, "app/api/views.py", "from app.db import models\n")
    code, out, _ = charter("baseline", "--root", app)
    assert (code, out) == (0, ".charter/baseline.json: 1 entries (0 fixed and pruned)\n")
    entries = json.loads((app / ".charter/baseline.json").read_text())["entries"]
    assert [(e["constraint"], e["path"], e["key"]) for e in entries] == [
        ("ADR-0001/1", "app/api/views.py", "app.db.models")
    ]
    write_file(app, "app/api/views.py", '"""Views."""\n\n\nfrom app.db import models\n')
    assert charter("check", "--all", "--root", app) == (0, "", "")

    # A second copy of the same import is a new occurrence: it blocks.
    write_file(app, "app/api/views.py", "from app.db import models\nfrom app.db import models\n")
    code, out, _ = charter("check", "--all", "--root", app)
    assert code == 1 and out.startswith("app/api/views.py:2:1: ADR-0001")


def test_baseline_is_a_ratchet(app: Path, charter: Charter) -> None:
    write_file(app, "app/api/views.py", "from app.db import models\n")
    charter("baseline", "--root", app)
    write_file(app, "app/api/views.py", "from app.db import models as m\nimport app.db\n")
    _, out, _ = charter("baseline", "--root", app)
    assert "1 new violation(s) not added" in out
    assert len(json.loads((app / ".charter/baseline.json").read_text())["entries"]) == 1
    assert charter("baseline", "--grow", "--root", app)[1].startswith(
        ".charter/baseline.json: 2 entries"
    )
    write_file(app, "app/api/views.py", "X = 1\n")
    assert charter("baseline", "--root", app)[1].startswith(
        ".charter/baseline.json: 0 entries (2 fixed and pruned)"
    )


def test_waivers_need_a_reason_and_expire(app: Path, charter: Charter) -> None:
    write_file(
        app,
        "app/api/views.py",
        """\
        # charter: allow ADR-0001 -- legacy report, removed in Q3
        from app.db import models
        from app.db import models as again  # charter: allow ADR-0001
        from app.db import models as third  # charter: allow ADR-0001 until=2020-01-01 -- old
        X = 1  # charter: allow ADR-0001/1 -- nothing here
        """,
    )
    code, out, _ = charter("check", "--all", "--root", app)
    assert code == 1
    lines = out.splitlines()
    assert [line for line in lines if line.startswith("app/")] == [
        "app/api/views.py:3:1: ADR-0001 [forbid-import] Handlers must not touch the database. "
        "(app.api.views imports app.db.models)",
        "app/api/views.py:4:1: ADR-0001 [forbid-import] Handlers must not touch the database. "
        "(app.api.views imports app.db.models)",
    ]
    assert (
        "charter: note: app/api/views.py:3: waiver waives nothing: a waiver needs a reason: "
        "add ' -- why this is acceptable'"
    ) in lines
    assert (
        "charter: note: app/api/views.py:4: waiver waives nothing: expired on 2020-01-01" in lines
    )
    assert "charter: note: app/api/views.py:5: unused waiver for ADR-0001/1" in lines

    code, out, _ = charter("waivers", "--root", app)
    assert out.splitlines()[0] == ("app/api/views.py:1: ADR-0001 -- legacy report, removed in Q3")
    assert len(out.splitlines()) == 4


def test_syntax_error_is_a_finding_and_other_files_are_still_checked(
    app: Path, charter: Charter
) -> None:
    write_file(app, "app/services/broken.py", "def oops(:\n")
    write_file(app, "app/api/views.py", "from app.db import models\n")
    code, out, _ = charter("check", "--all", "--root", app)
    assert code == 1
    assert "app/api/views.py:1:1: ADR-0001 [forbid-import]" in out
    assert "app/services/broken.py:1:10: charter [syntax-error] cannot parse: invalid syntax" in out


def test_non_utf8_text_is_checked_huge_files_are_findings_binaries_a_note(
    repo: Path, charter: Charter
) -> None:
    write_decision(
        repo,
        "0001-no-secrets.md",
        decision("ADR-0001", extra="constraints:\n  - kind: forbid-pattern\n    pattern: SECRET"),
    )
    (repo / "logo.png").write_bytes(b"\x89PNG\0\0\xffSECRET")
    (repo / "latin.txt").write_bytes("café SECRET".encode("latin-1"))
    (repo / "huge.txt").write_text("SECRET\n" * 200_000)
    write_file(repo, "config yaml/settings.yaml", "token: SECRET\n")
    code, out, _ = charter("check", "--all", "--root", repo)
    assert code == 1
    assert "config yaml/settings.yaml:1:8: ADR-0001 [forbid-pattern]" in out
    assert "latin.txt:1:6: ADR-0001 [forbid-pattern]" in out  # no evasion by encoding
    assert "huge.txt:1:1: charter [unreadable] larger than 1,000,000 bytes" in out
    assert "charter: note: skipped logo.png: a binary file" in out


def test_json_output_is_versioned(app: Path, charter: Charter) -> None:
    write_file(app, "app/api/views.py", "from app.db import models\n")
    code, out, _ = charter("check", "--all", "--format", "json", "--root", app)
    data = json.loads(out)
    assert code == 1 and data["schema"] == "charter-check/1"
    (violation,) = data["violations"]
    assert violation["constraint"] == "ADR-0001/1" and violation["key"] == "app.db.models"


def test_broken_decisions_stop_the_check_with_exit_2(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-x.md", decision("ADR-0001", status="acceptd"))
    code, _, err = charter("check", "--root", repo)
    assert code == 2
    assert "docs/decisions/0001-x.md:4: error: status: 'acceptd' is not a status" in err


def test_cache_is_ignored_by_git_and_reused(app: Path, charter: Charter) -> None:
    charter("check", "--all", "--root", app)
    cache = app / ".charter_cache"
    assert (cache / ".gitignore").read_text().strip().endswith("*")
    assert git(app, "status", "--porcelain") == ""
    # The imports were read natively (kept in the import table), the findings cached.
    assert list(cache.glob("imports-*.marshal"))
    (first,) = cache.glob("results-*.marshal")
    stamp = first.stat().st_mtime_ns
    charter("check", "--all", "--root", app)
    assert first.stat().st_mtime_ns == stamp  # nothing new checked, nothing written


def test_warm_hook_needs_neither_pydantic_nor_yaml(app: Path, charter: Charter) -> None:
    """The compiled decisions are cached; a changed decision file is compiled again."""
    import sys

    charter("check", "--all", "--root", app)  # compiles and caches the decisions
    code = (
        "import sys\n"
        "from charter.hooks.cli import main\n"
        f"status = main(['check', '--all', '--root', {str(app)!r}])\n"
        "print(status, sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "0 []", result.stderr

    write_file(app, "app/services/billing.py", "import os\nos.system('ls')\n")
    write_decision(
        app,
        "0002-no-shell.md",
        decision("ADR-0002", extra="constraints:\n  - kind: banned-api\n    names: os.system"),
    )
    code_, out, _ = charter("check", "--all", "--root", app)
    assert code_ == 1
    assert "app/services/billing.py:2:1: ADR-0002 [banned-api] uses banned os.system" in out


def test_concurrent_runs_agree_and_leave_a_readable_cache(app: Path) -> None:
    """pre-commit may run hooks in parallel: cache writes are atomic renames."""
    import sys

    write_file(app, "app/api/views.py", "from app.db import models\n")
    command = [sys.executable, "-m", "charter.hooks", "check", "--all", "--root", str(app)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = {(run.wait(), run.communicate()[0]) for run in runs}
    assert len(outputs) == 1
    ((code, out),) = outputs
    assert code == 1 and out.startswith("app/api/views.py:1:1: ADR-0001 [forbid-import]")
    assert not list((app / ".charter_cache").glob("*.tmp"))
    again = subprocess.run(command, capture_output=True, text=True)
    assert (again.returncode, again.stdout) == (code, out)


def test_files_that_are_not_modules_are_parsed_for_their_syntax_alone(
    repo: Path, charter: Charter
) -> None:
    # Names that start with a digit are not modules (Django's migrations): no import table
    # holds them, so a banned-api rule that skips them (no 'pickle', no 'loads' in them)
    # must still report that they do not parse, and read those that hold the words.
    write_decision(
        repo,
        "0001-no-pickle.md",
        decision("ADR-0001", extra="constraints:\n  - kind: banned-api\n    names: [pickle.loads]"),
    )
    write_file(repo, "app/__init__.py")
    write_file(repo, "app/migrations/__init__.py")
    write_file(repo, "app/migrations/0001_initial.py", "operations = [\n")
    write_file(repo, "app/migrations/0002_data.py", "import pickle\n\nrows = pickle.loads(b'')\n")
    write_file(repo, "app/migrations/0003_fine.py", "operations = []\n")
    for _ in ("cold", "cached"):
        code, out, _ = charter("check", "--all", "--root", repo)
        assert code == 1
        lines = [line for line in out.splitlines() if line.startswith("app/")]
        assert lines == [
            "app/migrations/0001_initial.py:1:14: charter [syntax-error] cannot parse: "
            "'[' was never closed; other files were still checked",
            "app/migrations/0002_data.py:3:8: ADR-0001 [banned-api] uses banned pickle.loads",
        ]
