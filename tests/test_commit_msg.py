"""The commit-msg hook on real commits: protected, co-change, trailers, governance.

Each repository gets a real ``.git/hooks/commit-msg`` that runs ``charter commit-msg``,
so ``git commit`` itself decides; the hook's output reaches git's stderr.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from support.repo import (
    PRE_COMMIT,
    Charter,
    decision,
    git,
    install_git_hook,
    write_decision,
    write_file,
)

pytestmark = pytest.mark.usefixtures("git_identity")


def commit(root: Path, message: str) -> tuple[int, str]:
    """``git add -A`` and ``git commit -m``; the exit code and git's stderr."""
    git(root, "add", "-A")
    result = subprocess.run(
        ["git", "commit", "-q", "-m", message], cwd=root, capture_output=True, text=True
    )
    return result.returncode, result.stderr


PROTECTED = decision(
    "ADR-0001",
    extra="""
    constraints:
      - kind: protected
        paths: ["migrations/0001_initial.sql", "vendor/"]
        remedy: Add a new migration instead of editing an applied one.
    """,
)
CO_CHANGE = decision(
    "ADR-0002",
    extra="""
    constraints:
      - kind: co-change
        when: ["app/models/**"]
        require: ["migrations/**"]
        message: Model changes need a migration.
    """,
)


@pytest.fixture
def diffrepo(repo: Path) -> Path:
    write_decision(repo, "0001-protected.md", PROTECTED)
    write_decision(repo, "0002-co-change.md", CO_CHANGE)
    write_file(repo, "migrations/0001_initial.sql", "CREATE TABLE invoice (id int);\n")
    write_file(repo, "vendor/lib.py", "VERSION = 1\n")
    write_file(repo, "app/models/invoice.py", "FIELDS = ['id']\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "initial")
    install_git_hook(repo, "commit-msg", 'commit-msg "$1"')
    return repo


def test_modifying_a_protected_file_is_blocked(diffrepo: Path) -> None:
    write_file(diffrepo, "migrations/0001_initial.sql", "CREATE TABLE invoice (id bigint);\n")
    code, err = commit(diffrepo, "Widen invoice ids")
    assert code == 1
    assert "migrations/0001_initial.sql:0:0: ADR-0001 [protected] protected file modified" in err
    assert "remedy: Add a new migration instead of editing an applied one." in err
    assert "Charter-Waive" not in err  # the block does not hand an agent the words
    assert git(diffrepo, "rev-list", "--count", "HEAD").strip() == "1"


def test_deleting_or_moving_a_protected_file_is_blocked(diffrepo: Path) -> None:
    git(diffrepo, "mv", "vendor/lib.py", "vendor/lib2.py")
    code, err = commit(diffrepo, "Rename vendored module")
    assert code == 1
    assert "vendor/lib.py:0:0: ADR-0001 [protected] protected file deleted" in err


def test_adding_a_file_under_a_protected_folder_passes(diffrepo: Path) -> None:
    write_file(diffrepo, "vendor/other.py", "X = 1\n")
    write_file(diffrepo, "migrations/0002_due.sql", "ALTER TABLE invoice ADD due date;\n")
    assert commit(diffrepo, "Vendor another module") == (0, "")


def test_a_waiver_trailer_with_a_reason_lets_the_commit_through(diffrepo: Path) -> None:
    write_file(diffrepo, "vendor/lib.py", "VERSION = 2\n")
    message = "Update vendored lib\n\nCharter-Waive: ADR-0001 -- upstream security fix 2.0.1\n"
    code, err = commit(diffrepo, message)
    assert code == 0 and "approvals are unverified" in err
    assert "Charter-Waive: ADR-0001" in git(diffrepo, "log", "-1", "--format=%B")


def test_a_waiver_trailer_needs_a_reason(diffrepo: Path) -> None:
    write_file(diffrepo, "vendor/lib.py", "VERSION = 2\n")
    code, err = commit(diffrepo, "Update vendored lib\n\nCharter-Waive: ADR-0001\n")
    assert code == 1
    assert "'Charter-Waive: ADR-0001' waives nothing: a waiver needs a reason" in err


def test_a_waiver_in_the_subject_or_body_text_is_not_a_trailer(diffrepo: Path) -> None:
    write_file(diffrepo, "vendor/lib.py", "VERSION = 2\n")
    code, _ = commit(diffrepo, "Charter-Waive: ADR-0001 -- please")
    assert code == 1
    message = "Update\n\nCharter-Waive: ADR-0001 -- in prose\nbecause I said so\n"
    code, _ = commit(diffrepo, message)
    assert code == 1


def test_co_change_requires_the_companion_files(diffrepo: Path) -> None:
    write_file(diffrepo, "app/models/invoice.py", "FIELDS = ['id', 'due']\n")
    code, err = commit(diffrepo, "Add due date")
    assert code == 1
    assert (
        "app/models/invoice.py:0:0: ADR-0002 [co-change] Model changes need a migration. "
        "(app/models/invoice.py changed, but no file matching migrations/** changed with it)"
    ) in err
    write_file(diffrepo, "migrations/0002_due.sql", "ALTER TABLE invoice ADD due date;\n")
    assert commit(diffrepo, "Add due date") == (0, "")


def test_co_change_is_waivable_by_constraint_id(diffrepo: Path) -> None:
    write_file(diffrepo, "app/models/invoice.py", "FIELDS = ['id']  # comment only\n")
    message = "Comment the model\n\nCharter-Waive: ADR-0002/1 -- no schema change\n"
    assert commit(diffrepo, message)[0] == 0


def test_comments_and_the_verbose_diff_are_not_the_message(
    diffrepo: Path, charter: Charter
) -> None:
    write_file(diffrepo, "vendor/lib.py", "VERSION = 2\n")
    git(diffrepo, "add", "-A")
    message = diffrepo / ".git" / "COMMIT_EDITMSG"
    message.write_text(
        "Update vendored lib\n\n"
        "# Charter-Waive: ADR-0001 -- a comment is not a trailer\n"
        "# ------------------------ >8 ------------------------\n"
        "diff --git a/vendor/lib.py b/vendor/lib.py\n"
        "\n"
        "Charter-Waive: ADR-0001 -- text of the diff is not a trailer either\n"
    )
    code, out, _ = charter("commit-msg", "--root", diffrepo, message)
    assert code == 1
    assert "[protected]" in out


def test_core_comment_char_is_respected(diffrepo: Path, charter: Charter) -> None:
    git(diffrepo, "config", "core.commentChar", ";")
    write_file(diffrepo, "vendor/lib.py", "VERSION = 2\n")
    git(diffrepo, "add", "-A")
    message = diffrepo / ".git" / "COMMIT_EDITMSG"
    message.write_text(
        "Update vendored lib\n\n; Charter-Waive: ADR-0001 -- commented out\n# Not a comment here\n"
    )
    assert charter("commit-msg", "--root", diffrepo, message)[0] == 1
    message.write_text(
        "Update vendored lib\n\n# heading, kept\n\nCharter-Waive: ADR-0001 -- upstream fix\n"
        "; ------------------------ >8 ------------------------\nrest\n"
    )
    assert charter("commit-msg", "--root", diffrepo, message)[0] == 0


def test_the_checks_run_whatever_the_message_says(diffrepo: Path, charter: Charter) -> None:
    # Only the trailers are read from a message: an empty one (git aborts that commit
    # anyway) does not skip the checks.
    write_file(diffrepo, "vendor/lib.py", "VERSION = 2\n")
    git(diffrepo, "add", "-A")
    message = diffrepo / ".git" / "COMMIT_EDITMSG"
    message.write_text("\n# Please enter the commit message for your changes.\n#\n")
    code, out, _ = charter("commit-msg", "--root", diffrepo, message)
    assert code == 1 and "vendor/lib.py:0:0: ADR-0001 [protected]" in out


def test_an_untracked_decisions_folder_is_read_from_disk(diffrepo: Path, charter: Charter) -> None:
    # charter sim keeps its oracle under .git/, where git never tracks a file.
    oracle = diffrepo / ".git" / "oracle"
    oracle.mkdir()
    (oracle / "0001-protected.md").write_text(PROTECTED, encoding="utf-8")
    (diffrepo / "docs" / "decisions" / "0001-protected.md").unlink()
    git(diffrepo, "add", "-A")
    git(diffrepo, "commit", "-q", "--no-verify", "-m", "drop the rule")
    write_file(diffrepo, "migrations/0001_initial.sql", "CREATE TABLE invoice (id bigint);\n")
    git(diffrepo, "add", "-A")
    message = diffrepo / ".git" / "MSG"
    message.write_text("Widen the id\n")
    assert charter("commit-msg", "--root", diffrepo, message)[0] == 0
    code, out, _ = charter(
        "commit-msg", "--root", diffrepo, "--decisions", ".git/oracle", "--format", "json", message
    )
    assert code == 1
    found = json.loads(out)["violations"]
    assert [(v["decision"], v["kind"], v["path"]) for v in found] == [
        ("ADR-0001", "protected", "migrations/0001_initial.sql")
    ]


def test_a_missing_message_file_is_a_usage_error(diffrepo: Path, charter: Charter) -> None:
    code, _, err = charter("commit-msg", "--root", diffrepo, diffrepo / "nope.txt")
    assert code == 2
    assert "nope.txt: cannot read the commit message" in err


# -- governance ------------------------------------------------------------------------

RULES = decision(
    "ADR-0010",
    extra="""
    scope: ["app/**"]
    constraints:
      - kind: forbid-import
        from: app.api
        to: [app.db, sqlalchemy]
        transitive: true
      - kind: dependencies
        allow: [requests]
      - kind: layers
        layers: [api, services, db]
        containers: [app]
    """,
)
BASELINE = {
    "schema": "charter-baseline/1",
    "entries": [
        {"constraint": "ADR-0010/1", "fingerprint": "aaaa", "key": "app.db", "path": "app/x.py"}
    ],
}


@pytest.fixture
def governed(repo: Path) -> Path:
    write_decision(repo, "0010-rules.md", RULES)
    write_file(repo, ".pre-commit-config.yaml", PRE_COMMIT)
    write_file(repo, ".charter/baseline.json", json.dumps(BASELINE, indent=1))
    write_file(repo, "app/__init__.py")
    write_file(repo, "app/api/__init__.py")
    write_file(repo, "app/api/views.py", "import requests\n")
    write_file(repo, "app/db/__init__.py")
    write_file(repo, "app/services/__init__.py")
    write_file(repo, "config.yaml", "debug: false\n")
    write_file(repo, "pyproject.toml", '[project]\nname = "demo"\n\n[tool.charter]\nexclude = []\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "initial")
    install_git_hook(repo, "commit-msg", 'commit-msg "$1"')
    return repo


def edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        target = root / path
        text = target.read_text()
        assert old in text, f"{old!r} not in {path}"
        target.write_text(text.replace(old, new, 1))

    return change


def delete(path: str) -> Callable[[Path], None]:
    return lambda root: (root / path).unlink()


def add_baseline_entry(root: Path) -> None:
    data = dict(BASELINE)
    new = {"constraint": "ADR-0010/2", "fingerprint": "bbbb", "key": "x", "path": "app/y.py"}
    data["entries"] = [*BASELINE["entries"], new]
    (root / ".charter/baseline.json").write_text(json.dumps(data, indent=1))


DECISION = "docs/decisions/0010-rules.md"
WEAKENINGS = {
    "decision deleted": (
        delete(DECISION),
        "ADR-0010/1 (forbid-import) of ADR-0010 is no longer enforced: ADR-0010 was removed",
    ),
    "constraint removed": (
        edit(DECISION, "  - kind: dependencies\n    allow: [requests]\n", ""),
        "ADR-0010/2 (dependencies) of ADR-0010 is no longer enforced: the constraint was "
        "removed from ADR-0010",
    ),
    "status changed": (
        edit(DECISION, "status: accepted", "status: deprecated"),
        "ADR-0010's status changed from accepted to deprecated",
    ),
    "superseded": (
        lambda root: write_decision(
            root, "0011-new.md", decision("ADR-0011", extra="supersedes: [ADR-0010]")
        ),
        "ADR-0010 is superseded by ADR-0011",
    ),
    "forbid list shrinks": (
        edit(DECISION, "to: [app.db, sqlalchemy]", "to: [app.db]"),
        "ADR-0010/1 (forbid-import) 'to' no longer lists sqlalchemy",
    ),
    "transitive switched off": (
        edit(DECISION, "transitive: true", "transitive: false"),
        "ADR-0010/1 (forbid-import) 'transitive' was switched off",
    ),
    "type-checking imports allowed": (
        edit(DECISION, "transitive: true", "transitive: true\n    allow_type_checking: true"),
        "ADR-0010/1 (forbid-import) 'allow_type_checking' was switched on",
    ),
    "ignore_imports entry added": (
        edit(
            DECISION,
            "transitive: true",
            "transitive: true\n    ignore_imports: ['app.api.views -> app.db.*']",
        ),
        "ADR-0010/1 (forbid-import) 'ignore_imports' now also permits app.api.views -> app.db.*",
    ),
    "layer siblings may import each other": (
        edit(DECISION, "layers: [api, services, db]", "layers: ['api : services', db]"),
        "ADR-0010/3 (layers) now allows app.services to import app.api",
    ),
    "severity lowered": (
        edit(DECISION, "    allow: [requests]", "    allow: [requests]\n    severity: warning"),
        "ADR-0010/2 (dependencies) was lowered from error to warning",
    ),
    "allow list widened": (
        edit(DECISION, "allow: [requests]", "allow: [requests, httpx]"),
        "ADR-0010/2 (dependencies) 'allow' now also permits httpx",
    ),
    "scope narrowed": (
        edit(DECISION, 'scope: ["app/**"]', 'scope: ["app/services/**"]'),
        "no longer covers app/__init__.py and 3 more (its scope narrowed)",
    ),
    "constraint excludes files": (
        edit(DECISION, "    allow: [requests]", "    allow: [requests]\n    exclude: [app/api/**]"),
        "ADR-0010/2 (dependencies) no longer covers app/api/__init__.py and 1 more",
    ),
    "layers reordered": (
        edit(DECISION, "layers: [api, services, db]", "layers: [api, db, services]"),
        "ADR-0010/3 (layers) now allows app.db to import app.services",
    ),
    "baseline grows": (
        add_baseline_entry,
        "the baseline grows by 1 entry (ADR-0010/2 in app/y.py)",
    ),
    "waiver added": (
        edit(
            "app/api/views.py",
            "import requests\n",
            "import requests\nimport httpx  # charter: allow ADR-0010 -- spike\n",
        ),
        "app/api/views.py:2:0: charter [governance] weakens governance: adds a waiver for ADR-0010",
    ),
    "waiver in YAML": (
        edit("config.yaml", "debug: false\n", "# charter: allow ADR-0010/2 -- later\n"),
        "adds a waiver for ADR-0010/2",
    ),
    "hook removed": (
        edit(
            ".pre-commit-config.yaml",
            PRE_COMMIT[
                PRE_COMMIT.index("      - id: charter-check") : PRE_COMMIT.index(
                    "      - id: charter-commit-msg"
                )
            ],
            "",
        ),
        "removes Charter's hook 'charter-check' from .pre-commit-config.yaml",
    ),
    "hook excludes files": (
        edit(
            ".pre-commit-config.yaml",
            "        pass_filenames: false\n",
            "        pass_filenames: false\n        exclude: ^app/api/\n",
        ),
        "edits Charter's hook 'charter-check' (exclude: None -> '^app/api/')",
    ),
    "pre-commit config deleted": (
        delete(".pre-commit-config.yaml"),
        "removes Charter's hook 'charter-commit-msg'",
    ),
    "settings exclude more": (
        edit("pyproject.toml", "exclude = []", 'exclude = ["app/api/**"]'),
        "pyproject.toml:5:0: charter [governance] weakens governance: excludes more files "
        "from Charter: app/api/**",
    ),
}


@pytest.mark.parametrize("case", sorted(WEAKENINGS))
def test_weakening_governance_is_blocked_unless_approved(governed: Path, case: str) -> None:
    change, expected = WEAKENINGS[case]
    change(governed)
    code, err = commit(governed, "Adjust the rules")
    assert code == 1, err
    assert expected in err
    assert "Charter-Approved-By" not in err  # the block does not hand an agent the words
    approved = "Adjust the rules\n\nCharter-Approved-By: Dana Lead <dana@example.invalid>\n"
    code, err = commit(governed, approved)
    assert code == 0, err
    assert "governance change(s) approved by Dana Lead <dana@example.invalid>" in err
    assert "approvals are unverified" in err


def reword(root: Path) -> None:
    target = root / DECISION
    target.write_text(target.read_text() + "\nMore context for people.\n")


HOOK = "      - id: charter-validate\n        name: v\n        entry: charter validate\n"
STRENGTHENINGS = {
    "new decision": lambda root: write_decision(
        root,
        "0012-more.md",
        decision("ADR-0012", extra="constraints:\n  - kind: acyclic\n    packages: [app]"),
    ),
    "forbid list grows": edit(DECISION, "to: [app.db, sqlalchemy]", "to: [app.db, sqlalchemy, os]"),
    "allow list shrinks": edit(DECISION, "allow: [requests]", "allow: []"),
    "layers made exhaustive": edit(
        DECISION, "containers: [app]", "containers: [app]\n    exhaustive: true"
    ),
    "scope widened": edit(DECISION, 'scope: ["app/**"]', "scope: []"),
    "severity made explicit": edit(
        DECISION, "    allow: [requests]\n", "    allow: [requests]\n    severity: error\n"
    ),
    "baseline pruned": lambda root: (root / ".charter/baseline.json").write_text(
        json.dumps({"schema": "charter-baseline/1", "entries": []})
    ),
    "hook added": edit(
        ".pre-commit-config.yaml",
        "    hooks:\n",
        "    hooks:\n" + HOOK + "        language: system\n",
    ),
    "prose edited": reword,
    # adopted: places the decision in history back-tests; the hooks enforce it as before.
    "adoption point added": edit(
        DECISION, "status: accepted\n", "status: accepted\nadopted: 2024-04-13\n"
    ),
    "waiver syntax in a string": edit(
        "app/api/views.py",
        "import requests\n",
        'import requests\n\nEXAMPLE = "# charter: allow ADR-0010 -- only an example"\n',
    ),
}


@pytest.mark.parametrize("case", sorted(STRENGTHENINGS))
def test_strengthening_governance_passes(governed: Path, case: str) -> None:
    STRENGTHENINGS[case](governed)
    assert commit(governed, "Tighten the rules") == (0, "")


def test_moving_a_constraint_to_another_accepted_decision_is_not_weakening(
    governed: Path,
) -> None:
    edit(DECISION, "  - kind: dependencies\n    allow: [requests]\n", "")(governed)
    write_decision(
        governed,
        "0013-deps.md",
        decision(
            "ADR-0013",
            extra='scope: ["app/**"]\nconstraints:\n  - kind: dependencies\n    allow: [requests]',
        ),
    )
    assert commit(governed, "Split the dependency rule into its own decision") == (0, "")


def test_removing_a_waiver_passes(governed: Path) -> None:
    write_file(governed, "app/api/views.py", "import requests  # charter: allow ADR-0010 -- x\n")
    assert commit(governed, "Waive\n\nCharter-Approved-By: Dana\n")[0] == 0
    write_file(governed, "app/api/views.py", "import requests\n")
    assert commit(governed, "Drop the waiver") == (0, "")


def test_waivers_history_lists_the_trailers_of_every_commit(
    diffrepo: Path, charter: Charter
) -> None:
    write_file(diffrepo, "vendor/lib.py", "VERSION = 2\n")
    assert commit(diffrepo, "Update lib\n\nCharter-Waive: ADR-0001 -- upstream fix 2.0.1\n")[0] == 0
    write_decision(diffrepo, "0002-co-change.md", decision("ADR-0002", status="deprecated"))
    assert commit(diffrepo, "Retire ADR-0002\n\nCharter-Approved-By: Dana Lead\n")[0] == 0
    code, out, _ = charter("waivers", "--history", "--root", diffrepo)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("Agent <agent@example.invalid>: Charter-Approved-By: Dana Lead")
    assert lines[1].endswith(
        "Agent <agent@example.invalid>: Charter-Waive: ADR-0001 -- upstream fix 2.0.1"
    )
    sha = git(diffrepo, "rev-parse", "--short=10", "HEAD~1").strip()
    assert lines[1].startswith(sha)
