"""Fast checks of the pieces behind the bypass battery: the message as git stores it,
the shell guard, and the baseline that never prunes what it cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.repo import Charter, git, make_repo, write_file

from charter.hooks import message
from charter.hooks.agents.shell_guard import refusal


@pytest.mark.parametrize(
    ("raw", "mode", "subject"),
    [
        ("#42 Tweak migration\n", "whitespace", "#42 Tweak migration"),  # git commit -m
        ("#42 Tweak migration\n", "strip", ""),  # with an editor, git drops it
        ("Fix\n# a comment\n", "strip", "Fix"),
        ("\n\n  Fix  \n\n\n", "whitespace", "  Fix"),  # git keeps the indent
        ("# verbatim\n", "verbatim", "# verbatim"),
    ],
)
def test_the_message_is_cleaned_as_git_stores_it(raw: str, mode: str, subject: str) -> None:
    assert message.clean(raw, "#", mode).partition("\n")[0] == subject


def test_the_cleanup_mode_is_gits_own_default() -> None:
    assert message.cleanup_mode(None, editor_used=False) == "whitespace"
    assert message.cleanup_mode(None, editor_used=True) == "strip"
    assert message.cleanup_mode("verbatim", editor_used=True) == "verbatim"
    assert message.cleanup_mode("default", editor_used=False) == "whitespace"


def test_a_quoted_trailer_is_not_a_trailer() -> None:
    parsed = message.parse("Relax\n\n> Charter-Approved-By: dana\n", "#", "whitespace")
    assert parsed.approvals == ()


@pytest.mark.parametrize(
    "command",
    [
        "git commit --no-verify -m x",
        "git commit -qanm x",
        "git commit --no-ver -m x",
        "git -c core.hooksPath=/dev/null commit -m x",
        "SKIP=charter-check git commit -m x",
        "rm -rf ./.git/hooks",
        "git update-ref refs/heads/main HEAD~1",
        "sh -c 'git push --no-verify'",
        "git config alias.ci 'commit --no-verify'",
        "echo x >> docs/decisions/0001.md",
    ],
)
def test_the_shell_guard_refuses(command: str) -> None:
    reason = refusal(command, "docs/decisions")
    assert reason is not None and "Charter blocked this command" in reason


@pytest.mark.parametrize(
    "command",
    [
        "git commit -m 'Add the n-th item'",
        "git commit -m x -S",
        "git log -n 3",
        "git status && ls .git/hooks",
        "cat docs/decisions/0001.md",
        "pre-commit run --all-files",
    ],
)
def test_the_shell_guard_lets_ordinary_commands_run(command: str) -> None:
    assert refusal(command, "docs/decisions") is None


DECISION = """---
id: ADR-0001
title: No db from the api
status: accepted
constraints:
  - kind: forbid-import
    from: app.api
    to: [app.db]
---
"""


def test_baseline_keeps_the_entries_of_a_file_it_cannot_read(
    tmp_path: Path, charter: Charter
) -> None:
    root = make_repo(tmp_path / "repo")
    for rel in ("app/__init__.py", "app/api/__init__.py", "app/db/__init__.py"):
        write_file(root, rel)
    write_file(root, "app/api/x.py", "import app.db\n")
    write_file(root, "docs/decisions/0001.md", DECISION)
    git(root, "add", "-A")
    assert charter("baseline", "--root", root)[0] == 0
    before = (root / ".charter/baseline.json").read_text()
    write_file(root, "app/api/x.py", "import app.db\nbroken = (\n")
    code, out, _ = charter("baseline", "--root", root)
    assert (
        code == 0
        and "entries kept for files Charter could not check this time: app/api/x.py" in out
    )
    assert (root / ".charter/baseline.json").read_text() == before
    write_file(root, "app/api/x.py", "X = 1\n")  # really fixed: pruned
    assert "1 fixed and pruned" in charter("baseline", "--root", root)[1]
