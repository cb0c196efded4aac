"""What a change does to the files, from git's raw diff: the same answer as comparing the
two snapshots' listings, in the cases where a diff and a listing could disagree.

``changes`` asks git once (``diff-index --cached`` for the index, ``diff-tree`` between
commits) and lists the side not listed yet from the other side and the diff; each test
checks the answer against the full comparison (``_compared``) and checks that the
derived listing is the one git gives for the whole tree.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from support.repo import (
    decision,
    git,
    install_git_hook,
    write_decision,
    write_file,
)

from charter.hooks.source.changes import Change, _compared, changes
from charter.hooks.source.snapshot import Commit, Index

pytestmark = pytest.mark.usefixtures("git_identity")

NAMES = ("app/models.py", "app/tool.sh", "docs/link", "notes/é.txt", "old/name.py")


@pytest.fixture
def history(repo: Path) -> Path:
    """A first commit with a regular file, an executable, a link and a non-ASCII name."""
    write_file(repo, "app/models.py", "FIELDS = ['id']\n")
    write_file(repo, "app/tool.sh", "echo tool\n")
    write_file(repo, "notes/é.txt", "note\n")
    write_file(repo, "old/name.py", "NAME = 'old'\n")
    (repo / "docs").mkdir(exist_ok=True)
    (repo / "docs/link").symlink_to("../app/models.py")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "first")
    return repo


def _edit_everything(root: Path) -> None:
    """A mode-only change, a file swapped for a link and back, a rename, an edit."""
    (root / "app/tool.sh").chmod(0o755)  # mode only: not a modification
    (root / "app/models.py").unlink()
    (root / "app/models.py").symlink_to("../notes/é.txt")  # a file becomes a link
    (root / "docs/link").unlink()
    write_file(root, "docs/link", "now a file\n")  # a link becomes a file
    (root / "new").mkdir()
    git(root, "mv", "old/name.py", "new/name.py")
    write_file(root, "notes/é.txt", "note, edited\n")
    git(root, "add", "-A")


EXPECTED = [
    Change("app/models.py", "deleted"),
    Change("docs/link", "added"),
    Change("new/name.py", "added"),
    Change("notes/é.txt", "modified"),
    Change("old/name.py", "deleted"),
]


def test_the_staged_change_from_one_git_call_matches_the_listings(history: Path) -> None:
    _edit_everything(history)
    index = Index(history)
    assert index.files()  # the index is listed, as the hook's settings have read it
    base = Commit(history, "HEAD")
    assert changes(base, index) == EXPECTED
    # HEAD's listing followed from the index and the diff: it is git's own listing.
    assert base.listing == Commit(history, "HEAD").listing
    assert _compared(Commit(history, "HEAD"), Index(history)) == EXPECTED


def test_a_change_between_two_commits_matches_the_listings(history: Path) -> None:
    _edit_everything(history)
    git(history, "commit", "-qm", "second")
    tip = Commit(history, "HEAD")
    assert tip.files()  # the range check lists the commit it judges first
    parent = Commit(history, "HEAD~1")
    assert changes(parent, tip) == EXPECTED
    assert parent.listing == Commit(history, "HEAD~1").listing
    # Neither side listed: only the diff is asked for, and it says the same.
    assert changes(Commit(history, "HEAD~1"), Commit(history, "HEAD")) == EXPECTED
    assert _compared(Commit(history, "HEAD~1"), Commit(history, "HEAD")) == EXPECTED


def test_a_mode_only_change_changes_nothing(history: Path) -> None:
    (history / "app/tool.sh").chmod(0o755)
    git(history, "add", "-A")
    assert changes(Commit(history, "HEAD"), Index(history)) == []


def test_the_first_commit_adds_every_file(repo: Path) -> None:
    write_file(repo, "app/models.py", "FIELDS = []\n")
    write_file(repo, "README.md", "demo\n")
    git(repo, "add", "-A")
    found = changes(None, Index(repo))
    assert found == [Change(p, "added") for p in ("README.md", "app/models.py", "pyproject.toml")]


def test_the_index_git_names_is_the_one_judged(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``git commit PATHS`` runs the hooks on a temporary index (``GIT_INDEX_FILE``)."""
    write_file(history, "app/models.py", "FIELDS = ['id', 'total']\n")
    git(history, "add", "-A")  # staged in .git/index, but not part of the commit below
    write_file(history, "notes/é.txt", "note, edited\n")
    other = history / ".git" / "other-index"
    env = {**os.environ, "GIT_INDEX_FILE": str(other)}
    subprocess.run(["git", "read-tree", "HEAD"], cwd=history, env=env, check=True)
    subprocess.run(["git", "add", "notes/é.txt"], cwd=history, env=env, check=True)
    with monkeypatch.context() as patch:
        patch.setenv("GIT_INDEX_FILE", str(other))
        found = changes(Commit(history, "HEAD"), Index(history))
        assert found == [Change("notes/é.txt", "modified")]
    assert changes(Commit(history, "HEAD"), Index(history)) == [Change("app/models.py", "modified")]


PROTECTED = decision(
    "ADR-0001",
    extra="""
    constraints:
      - kind: protected
        paths: ["migrations/"]
    """,
)


def _commit(root: Path, *args: str) -> tuple[int, str]:
    result = subprocess.run(
        ["git", "commit", "-q", *args], cwd=root, capture_output=True, text=True
    )
    return result.returncode, result.stderr


def test_a_commit_of_given_paths_is_judged_on_those_paths(repo: Path) -> None:
    write_decision(repo, "0001-protected.md", PROTECTED)
    write_file(repo, "migrations/0001.sql", "CREATE TABLE t (id int);\n")
    write_file(repo, "app/views.py", "VIEWS = []\n")
    git(repo, "add", "-A")
    assert _commit(repo, "-m", "first") == (0, "")
    install_git_hook(repo, "commit-msg", 'commit-msg "$1"')
    write_file(repo, "migrations/0001.sql", "CREATE TABLE t (id bigint);\n")
    git(repo, "add", "-A")  # staged, but the commit below takes app/views.py only
    write_file(repo, "app/views.py", "VIEWS = ['index']\n")
    assert _commit(repo, "-m", "views only", "app/views.py") == (0, "")
    code, err = _commit(repo, "-m", "the migration too", "migrations/0001.sql")
    assert code == 1
    assert "migrations/0001.sql" in err and "ADR-0001" in err


def test_the_first_commit_through_the_hook_passes(repo: Path) -> None:
    write_decision(repo, "0001-protected.md", PROTECTED)
    write_file(repo, "migrations/0001.sql", "CREATE TABLE t (id int);\n")
    install_git_hook(repo, "commit-msg", 'commit-msg "$1"')
    git(repo, "add", "-A")
    assert _commit(repo, "-m", "first") == (0, "")
    assert git(repo, "log", "--format=%s") == "first\n"


def test_an_unmerged_index_is_compared_by_listing(history: Path) -> None:
    """While a merge stops on a conflict, git's diff says only "unmerged": the listings
    are compared instead, as before."""
    git(history, "checkout", "-qb", "side")
    write_file(history, "app/models.py", "FIELDS = ['side']\n")
    git(history, "commit", "-qam", "side")
    git(history, "checkout", "-q", "-")
    write_file(history, "app/models.py", "FIELDS = ['main']\n")
    write_file(history, "README.md", "merged\n")
    git(history, "add", "-A")
    git(history, "commit", "-qm", "main")
    merge = subprocess.run(["git", "merge", "-q", "side"], cwd=history, capture_output=True)
    assert merge.returncode != 0  # the conflict
    found = changes(Commit(history, "HEAD"), Index(history))
    assert found == _compared(Commit(history, "HEAD"), Index(history))
    assert Change("app/models.py", "modified") in found
