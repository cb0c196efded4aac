"""``charter check`` with a warm cache: as fast as it can be, never a different verdict."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.app import LAYERED, write_app
from support.repo import Charter, commit_all, decision, git, run_cli, write_decision, write_file

LAYERS = decision(
    "ADR-0002",
    extra="""
    constraints:
      - kind: layers
        layers: [app.api, app.services, app.db]
        transitive: true
      - kind: banned-api
        names: [os.system]
    """,
)


pytestmark = pytest.mark.usefixtures("git_identity")


@pytest.fixture
def app(repo: Path) -> Path:
    write_app(repo, LAYERED)
    write_decision(repo, "0002-layers.md", LAYERS)
    commit_all(repo, "initial")
    return repo


def test_hook_after_head_moves_splits_new_from_preexisting(app: Path, charter: Charter) -> None:
    """The base's findings are cached by tree: a new HEAD is judged on its own content."""
    write_file(app, "app/db/models.py", "import os\nos.system('ls')\n")
    git(app, "add", "-A")
    code, out, _ = charter("check", "--staged", "--root", app)
    assert code == 1 and "app/db/models.py:2:1: ADR-0002 [banned-api]" in out
    commit_all(app, "accept the shell call")  # HEAD moves; the cache knows the old HEAD

    write_file(app, "app/api/views.py", "from app.db import models\nimport os\nos.system('x')\n")
    git(app, "add", "-A")
    code, out, _ = charter("check", "--staged", "--root", app)
    assert code == 1
    reported = sorted(line.split(" ")[0:3] for line in out.splitlines() if line[:1] != " ")
    assert reported == [
        ["app/api/views.py:1:1:", "ADR-0001", "[forbid-import]"],
        ["app/api/views.py:3:1:", "ADR-0002", "[banned-api]"],
        ["charter:", "1", "pre-existing"],
    ]
    commit_all(app, "more")
    write_file(app, "app/db/notes.txt", "staged, changes nothing Charter checks\n")
    git(app, "add", "-A")
    assert charter("check", "--staged", "--root", app)[:2] == (
        0,
        "charter: 3 pre-existing violation(s) not blocking (charter check --all lists them)\n",
    )
    git(app, "reset", "-q", "HEAD", "--", "app/db/notes.txt")
    # Nothing staged (pre-commit run --all-files): the whole tree is checked.
    code, out, _ = charter("check", "--staged", "--root", app)
    assert code == 1 and len([line for line in out.splitlines() if "ADR-" in line]) == 3

    git(app, "reset", "-q", "--hard", "HEAD~1")  # back to a HEAD seen before
    write_file(
        app, "app/services/billing.py", "from app.db import models\nimport os\nos.system('y')\n"
    )
    git(app, "add", "-A")
    code, out, _ = charter("check", "--staged", "--root", app)
    assert code == 1
    assert out.startswith("app/services/billing.py:3:1: ADR-0002 [banned-api]")
    assert "1 pre-existing" in out


def test_cached_runs_agree_with_uncached_ones(app: Path, charter: Charter) -> None:
    """A sequence of edits, each checked with the cache and without: same output."""
    edits = [
        ("app/api/views.py", "from app.db import models\n"),
        ("app/api/views.py", "\n\nfrom app.db import models  # moved down\n"),
        ("app/db/helpers.py", "from app.services import billing\n"),  # a new module
        ("app/services/billing.py", "def oops(:\n"),  # a syntax error
        ("app/services/billing.py", "from app.db import models\n"),
        ("app/db/helpers.py", "import os\nos.system('a')\n"),
    ]
    for path, text in edits:
        write_file(app, path, text)
        for flags in (("--all",), ()):
            cached = charter("check", *flags, "--root", app)
            uncached = charter("check", *flags, "--no-cache", "--root", app)
            assert cached == uncached, (path, text, flags)
            assert charter("check", *flags, "--root", app) == cached  # warm


def test_a_damaged_cache_changes_nothing(app: Path, charter: Charter) -> None:
    write_file(app, "app/api/views.py", "from app.db import models\n")
    first = charter("check", "--all", "--root", app)
    assert first[0] == 1
    cache = app / ".charter_cache"
    damaged = [path for path in cache.iterdir() if path.suffix in (".marshal", ".json")]
    assert len(damaged) >= 4  # facts, import table, results, compiled decisions
    for path in damaged:
        path.write_bytes(b"\x00garbage")
    assert charter("check", "--all", "--root", app) == first
    assert charter("check", "--all", "--root", app) == first


def test_many_files_are_parsed_in_parallel_with_the_same_findings(repo: Path) -> None:
    """Past a few dozen new files, parsing runs on every core (a real subprocess)."""
    write_file(repo, "pkg/__init__.py")
    for number in range(80):
        write_file(repo, f"pkg/m{number:02}.py", f"from pkg import m{(number + 1) % 80:02}\n")
    write_file(repo, "pkg/m40.py", "import os\n\nos.system('ls')\n")
    write_file(repo, "pkg/m41.py", "def oops(:\n")
    banned = "constraints:\n  - kind: banned-api\n    names: os.system"
    write_decision(repo, "0001-no-shell.md", decision("ADR-0001", extra=banned))
    expected = (
        "pkg/m40.py:3:1: ADR-0001 [banned-api] uses banned os.system",
        "pkg/m41.py:1:10: charter [syntax-error] cannot parse: invalid syntax; other files "
        "were still checked",
    )
    for _ in range(2):  # cold, then warm
        code, out, _ = run_cli("check", "--all", cwd=repo)
        assert code == 1
        assert tuple(line for line in out.splitlines() if line[:1] != " ") == expected


def test_unknown_first_party_module_stops_the_check(app: Path, charter: Charter) -> None:
    forbid = """
        constraints:
          - kind: forbid-import
            from: ap.api
            to: app.db
        """
    write_decision(app, "0003-typo.md", decision("ADR-0003", extra=forbid))
    git(app, "add", "-A")  # --staged reads the staged decisions
    for flags in (("--all",), ("--staged",), ()):
        code, out, err = charter("check", *flags, "--root", app)
        assert (code, out) == (2, ""), flags
        assert (
            "docs/decisions/0003-typo.md:7: error: constraints[0].from[0]: module "
            "'ap.api' (did you mean 'app.api'?) matches no module under the source roots; "
            "fix the name, or the source_roots/packages settings (charter config)"
        ) in err
    assert charter("validate", "--root", app)[0] == 2

    # A missing module inside an existing package stops the check too, as in
    # import-linter: a typo would check nothing. One still to be written is listed in
    # 'optional'.
    forbid = """
        constraints:
          - kind: forbid-import
            from: [app.api, app.api_v2]
            to: app.db
        """
    write_decision(app, "0003-typo.md", decision("ADR-0003", extra=forbid))
    code, _, err = charter("check", "--all", "--root", app)
    assert code == 2 and "constraints[0].from[1]: module 'app.api_v2'" in err
    forbid = """
        constraints:
          - kind: forbid-import
            from: [app.api, app.api_v2]
            to: [app.db, app.payments, tensorflow, json]
            optional: [app.api_v2, app.payments]
        """
    write_decision(app, "0003-typo.md", decision("ADR-0003", extra=forbid))
    assert charter("check", "--all", "--root", app)[0] == 0
    # An uninstalled third-party package is fine; validate warns about it.
    code, out, _ = charter("validate", "--root", app)
    assert code == 0 and "warning: constraints[0].to[2]: module 'tensorflow'" in out
    assert "app.payments" not in out and "app.api_v2" not in out


def test_unknown_module_is_checked_against_the_snapshot(app: Path, charter: Charter) -> None:
    """A package added in the same commit as the rule that names it is fine."""
    write_file(app, "payments/__init__.py", "from app.db import models\n")
    forbid = "constraints:\n  - kind: forbid-import\n    from: payments\n    to: app.db"
    write_decision(app, "0003-payments.md", decision("ADR-0003", extra=forbid))
    git(app, "add", "-A")
    code, out, _ = charter("check", "--staged", "--root", app)
    assert code == 1 and out.startswith("payments/__init__.py:1:1: ADR-0003")
    git(app, "rm", "-q", "--cached", "payments/__init__.py")
    assert charter("check", "--staged", "--root", app)[0] == 2


def test_work_tree_sees_unstaged_edits_and_deletions(app: Path, charter: Charter) -> None:
    write_file(app, "app/api/legacy.py", "from app.db import models\n")
    commit_all(app, "legacy")
    code, out, _ = charter("check", "--all", "--root", app)  # warm
    assert code == 1 and out.startswith("app/api/legacy.py:1:1: ADR-0001")
    write_file(app, "app/api/views.py", "from app.db import models\n")  # tracked, modified
    (app / "app/api/legacy.py").unlink()  # tracked, deleted
    code, out, _ = charter("check", "--all", "--root", app)
    assert code == 1
    assert [line.split(" ")[0] for line in out.splitlines() if line[:1] != " "] == [
        "app/api/views.py:1:1:"
    ]
    assert subprocess.run(["git", "status", "--short"], cwd=app, capture_output=True).stdout
