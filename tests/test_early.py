"""git's first questions are started before Charter is imported (``source/early.py``).

The ``charter`` process starts them from its command line alone; whatever asks the
same question at the same root takes the running answer. What a user sees must not
change: the command's report is the one the in-process ``cli.main`` gives (which
starts nothing early), from the top of the tree or a folder in it, and a question
nobody takes is ended, never answered later.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.repo import Charter, commit_all, decision, git, run_cli, write_decision, write_file

from charter.hooks.source import early

NO_TODO = decision(
    "ADR-0001",
    extra="""
    constraints:
      - kind: forbid-pattern
        pattern: "TODO"
    """,
)


@pytest.fixture
def tree(repo: Path) -> Path:
    """A repository whose work tree differs from its index every way git lists."""
    write_decision(repo, "0001-no-todo.md", NO_TODO)
    write_file(repo, "app/kept.py", "x = 1\n")
    write_file(repo, "app/edited.py", "y = 2\n")
    write_file(repo, "app/gone.py", "# TODO: committed\n")
    commit_all(repo)
    write_file(repo, "app/edited.py", "y = 2  # TODO: edited\n")
    write_file(repo, "app/new.py", "# TODO: untracked\n")
    (repo / "app" / "gone.py").unlink()
    return repo


@pytest.fixture
def inside(tree: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tree``, the current folder (where the command runs)."""
    monkeypatch.chdir(tree)
    return tree


@pytest.fixture
def no_leftovers() -> Iterator[None]:
    """Each test leaves no started question behind, whatever it asserts."""
    yield
    early.stop()


@pytest.mark.usefixtures("git_identity")
@pytest.mark.parametrize("where", [".", "app"])
@pytest.mark.parametrize("flags", [["--all"], []])
def test_the_command_reports_what_the_function_reports(
    tree: Path, charter: Charter, where: str, flags: list[str]
) -> None:
    code, out, _ = run_cli("check", *flags, cwd=tree / where)
    expected = charter("check", *flags, "--root", tree)
    assert (code, out) == expected[:2]
    assert "app/edited.py" in out and "app/new.py" in out and "app/gone.py" not in out


@pytest.mark.usefixtures("git_identity")
def test_the_staged_check_reports_what_the_function_reports(tree: Path, charter: Charter) -> None:
    git(tree, "add", "-A", "app")
    code, out, _ = run_cli("check", "--staged", cwd=tree)
    assert (code, out) == charter("check", "--staged", "--root", tree)[:2]
    assert code == 1 and "app/new.py" in out


PROTECTED = decision(
    "ADR-0002",
    extra="""
    constraints:
      - kind: protected
        paths: ["app/kept.py"]
    """,
)


@pytest.mark.usefixtures("git_identity")
@pytest.mark.parametrize("cleanup", [None, "verbatim"])
def test_the_commit_msg_hook_reports_what_the_function_reports(
    tree: Path, charter: Charter, cleanup: str | None
) -> None:
    write_decision(tree, "0002-protected.md", PROTECTED)
    git(tree, "add", "-A")
    commit_all(tree, "the rule")
    if cleanup is not None:
        git(tree, "config", "commit.cleanup", cleanup)
    write_file(tree, "app/kept.py", "x = 2\n")
    git(tree, "add", "app/kept.py")
    message = tree / "MSG"
    message.write_text("Edit the kept module\n\n# a comment git strips\n")
    code, out, _ = run_cli("commit-msg", "MSG", cwd=tree)
    assert (code, out) == charter("commit-msg", "--root", tree, str(message))[:2]
    assert code == 1 and "app/kept.py" in out


@pytest.mark.usefixtures("no_leftovers")
def test_the_commit_msg_hook_asks_its_questions_first(inside: Path) -> None:
    tree = inside
    early.start(["commit-msg", ".git/COMMIT_EDITMSG"])
    config, changes = early.message_questions()
    assert early.take(tree, early.INDEX_LISTING) is not None  # nothing kept yet
    assert early.take(tree, changes) is not None
    process = early.take(tree, config)
    assert process is not None and process.communicate()[0] == b""  # neither key is set


@pytest.mark.usefixtures("no_leftovers")
def test_a_started_question_is_taken_once_at_its_root(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree / "app")
    before = time.time_ns()
    early.start(["check", "--all"])
    started = early.tree_listed_at(tree)  # the tree trusts git's ids from then
    # the earlier of this machine's clock and the file system's (whose ticks are coarser)
    assert started is not None and before - 10**9 < started <= time.time_ns()
    assert early.take(tree / "app", early.TREE_CHANGES) is None  # not the root
    process = early.take(tree, early.TREE_CHANGES)
    assert process is not None
    listed = process.communicate()[0].split(b"\0")
    assert b"? app/new.py" in listed and b"R app/gone.py" in listed
    assert early.take(tree, early.TREE_CHANGES) is None  # taken
    assert early.tree_listed_at(tree) != started  # a new listing: now


@pytest.mark.usefixtures("no_leftovers")
def test_only_the_work_trees_listing_reads_the_file_systems_clock(
    inside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commit's hooks start no listing of the work tree: they make no clock file."""
    read: list[str] = []
    monkeypatch.setattr(early, "clock", lambda root: read.append(root) or 0)
    early.start(["check", "--staged"])
    early.start(["commit-msg", ".git/COMMIT_EDITMSG"])
    assert read == []
    early.start(["check", "--all"])
    assert read == [str(inside)]


@pytest.mark.usefixtures("no_leftovers")
def test_the_index_is_listed_too_unless_a_listing_of_it_may_be_kept(inside: Path) -> None:
    tree = inside
    early.start(["check", "--all"])  # a fresh clone: nothing kept
    fresh = early.take(tree, early.INDEX_LISTING)
    assert fresh is not None and b"app/kept.py" in fresh.communicate()[0]
    assert run_cli("check", "--all", cwd=tree)[0] == 1  # keeps the index's listing
    early.start(["check", "--all"])
    assert early.take(tree, early.INDEX_LISTING) is None
    git(tree, "add", "app/new.py")  # the index written since: a commit's staging
    early.start(["check", "--staged"])
    assert early.take(tree, early.INDEX_LISTING) is not None


@pytest.mark.usefixtures("no_leftovers")
def test_an_index_written_again_with_the_same_bytes_is_listed_early_once(
    inside: Path, charter: Charter
) -> None:
    """``git status`` writes the index again with the same entries, newer than the kept
    listing: one run finds the listing still the index's and dates it so; the next runs
    ask git for the index's listing no more."""
    tree = inside
    assert charter("check", "--all", "--root", tree)[0] == 1  # keeps the index's listing
    index = tree / ".git" / "index"
    later = index.stat().st_mtime_ns + 5 * 10**9
    os.utime(index, ns=(later, later))
    early.start(["check", "--all"])
    asked = early.take(tree, early.INDEX_LISTING)
    assert asked is not None  # by the files' times alone, another index
    asked.communicate()
    assert charter("check", "--all", "--root", tree)[0] == 1
    early.start(["check", "--all"])
    assert early.take(tree, early.INDEX_LISTING) is None


@pytest.mark.usefixtures("no_leftovers")
def test_questions_nobody_took_are_not_taken_after_the_stop(inside: Path) -> None:
    tree = inside
    early.start(["check", "--staged"])
    early.stop()  # as the process does before it exits: a later question asks git anew
    assert all(early.take(tree, question) is None for question in early.staged_questions())


@pytest.mark.usefixtures("no_leftovers")
@pytest.mark.parametrize(
    ("argv", "environ"),
    [
        (["check", "--root", "elsewhere"], {}),  # another repository
        (["check", "--to-ref", "HEAD"], {}),  # a commit, not the tree
        (["check", "--sta"], {}),  # argparse's abbreviation: left to the command
        (["check", "--help"], {}),
        (["check"], {"PRE_COMMIT_TO_REF": "HEAD"}),  # pre-commit's pre-push stage: a range
        (["validate"], {}),
        (["commit-msg", "--root", "elsewhere", "MSG"], {}),  # another repository
        (["commit-msg"], {}),  # no message file: argparse's error
        ([], {}),
    ],
)
def test_a_command_line_that_may_ask_otherwise_starts_nothing(
    tree: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], environ: dict[str, str]
) -> None:
    monkeypatch.chdir(tree)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    early.start(argv)
    questions = [early.TREE_CHANGES, *early.staged_questions(), *early.message_questions()]
    assert all(early.take(tree, question) is None for question in questions)


@pytest.mark.usefixtures("no_leftovers")
def test_outside_a_repository_nothing_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    early.start(["check", "--all"])
    assert early.take(tmp_path, early.TREE_CHANGES) is None


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    stream = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stream)


@pytest.mark.usefixtures("no_leftovers")
def test_the_claude_hook_on_an_edit_lists_the_tree_and_reads_its_input_whole(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    edit = {"file_path": str(tree / "app/kept.py"), "old_string": "x", "new_string": "é = 1"}
    text = json.dumps(
        {"tool_name": "Edit", "cwd": str(tree), "tool_input": edit}, ensure_ascii=False
    )
    _stdin(monkeypatch, text)
    early.start(["hook", "claude"])
    assert early.take(tree, early.TREE_CHANGES) is not None
    assert sys.stdin.read() == text  # what the hook reads next


@pytest.mark.usefixtures("no_leftovers")
def test_the_claude_hook_on_a_shell_command_starts_nothing(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)
    text = json.dumps({"tool_name": "Bash", "tool_input": {"command": "git status"}})
    _stdin(monkeypatch, text)
    early.start(["hook", "claude"])
    assert early.take(tree, early.TREE_CHANGES) is None
    assert sys.stdin.read() == text


@pytest.mark.usefixtures("no_leftovers")
def test_a_hook_handed_to_the_resident_server_asks_the_same(inside: Path) -> None:
    """``--resident`` says where the hook runs (``resident.py``), not what it asks."""
    early.start(["check", "--staged", "--resident"])
    started = early.take(inside, early.STAGED_PATHS)
    assert started is not None and started.communicate()[0] == b""  # nothing staged yet
