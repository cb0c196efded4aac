"""The one git module (its error policy) and the one writer of Charter's own files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.repo import commit_all, make_repo

from charter.hooks.errors import CharterError
from charter.hooks.source import atomic, git


def test_a_failing_git_command_is_an_error_naming_it_and_gits_message(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    with pytest.raises(CharterError, match=r"git rev-parse --verify nope failed: fatal"):
        git.run(root, "rev-parse", "--verify", "nope")
    assert git.optional(root, "rev-parse", "--verify", "-q", "nope") is None


@pytest.mark.usefixtures("git_identity")
def test_questions_about_the_repository(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    assert not git.head_exists(root) and git.head(root) is None
    commit_all(root, "first")
    assert git.head_exists(root) and len(git.head(root) or "") == 40
    deep = root / "a" / "b"
    deep.mkdir(parents=True)
    assert git.repository(deep) == root
    assert git.repository(tmp_path) is None
    assert git.common_dir(root) == (root / ".git").resolve()
    assert git.config(root, "core.commentChar") is None
    (root / "new.txt").write_text("x\n")
    git.run(root, "add", "new.txt")
    assert git.staged_paths(root) == ["new.txt"]
    assert b"+x" in git.staged_diff(root)


@pytest.mark.usefixtures("git_identity")
def test_questions_started_ahead_answer_as_asked_and_never_outlive_their_block(
    tmp_path: Path,
) -> None:
    root = make_repo(tmp_path / "repo")
    (root / "a.txt").write_text("a\n")
    git.run(root, "add", "a.txt")
    with git.ahead(root, git.STAGED_PATHS, git.HEAD_EXISTS, ("rev-parse", "--verify", "nope")):
        assert git.staged_paths(root) == ["a.txt"]
        assert not git.head_exists(root)  # git's "no" is an answer, started or not
        with pytest.raises(CharterError, match=r"git rev-parse --verify nope failed: fatal"):
            git.run(root, "rev-parse", "--verify", "nope")
        assert git.staged_paths(root) == ["a.txt"], "asked again: git is asked again"
    with git.ahead(root, git.STAGED_PATHS):
        pass  # not asked: stopped here, so a later question sees the repository as it is
    commit_all(root, "first")
    assert git.staged_paths(root) == [] and git.head_exists(root)


@pytest.mark.usefixtures("git_identity")
def test_history_is_split_into_records(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    with pytest.raises(CharterError, match="git log HEAD failed: fatal: bad revision"):
        git.log(root, "HEAD", "%s%x1e")
    commit_all(root, "one")
    (root / "x.txt").write_text("x\n")
    commit_all(root, "two")
    assert [r.strip() for r in git.log(root, "HEAD", "%s%x1e") if r.strip()] == ["two", "one"]


def test_an_atomic_write_replaces_a_symlink_instead_of_following_it(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("precious\n")
    link = tmp_path / "baseline.json"
    link.symlink_to(target)
    atomic.write_atomic(link, b"new\n")
    assert target.read_text() == "precious\n"
    assert not link.is_symlink() and link.read_text() == "new\n"


def test_an_append_refuses_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("precious\n")
    link = tmp_path / "attempts.jsonl"
    link.symlink_to(target)
    with pytest.raises(CharterError, match=r"attempts\.jsonl: is a symbolic link"):
        atomic.append_line(link, b"{}\n")
    assert target.read_text() == "precious\n"
    plain = tmp_path / "plain.jsonl"
    atomic.append_line(plain, b"1\n")
    atomic.append_line(plain, b"2\n")
    assert plain.read_bytes() == b"1\n2\n"


@pytest.mark.usefixtures("git_identity")
def test_a_snapshot_reads_its_own_bytes_whatever_the_disk_holds(tmp_path: Path) -> None:
    from charter.hooks.source.snapshot import Commit, Index

    root = make_repo(tmp_path / "repo")
    for name in ("same.py", "edited.py", "linked.py", "fifo.py", "gone.py", "empty.py"):
        (root / name).write_text(f"# {name} as committed\n" if name != "empty.py" else "")
    commit_all(root, "first")
    (root / "edited.py").write_text("# edited after it was staged\n")
    outside = tmp_path / "outside.py"
    outside.write_text("# linked.py as committed\n")  # the same bytes, through a link
    (root / "linked.py").unlink()
    (root / "linked.py").symlink_to(outside)
    (root / "fifo.py").unlink()
    os.mkfifo(root / "fifo.py")  # a reader that opened it would wait for ever
    (root / "gone.py").unlink()
    for snapshot in (Index(root), Commit(root, "HEAD")):
        assert snapshot.read("same.py") == b"# same.py as committed\n"
        assert snapshot.read("edited.py") == b"# edited.py as committed\n"
        assert snapshot.read("linked.py") == b"# linked.py as committed\n"
        assert snapshot.read("fifo.py") == b"# fifo.py as committed\n"
        assert snapshot.read("gone.py") == b"# gone.py as committed\n"
        assert snapshot.read("empty.py") == b""
        assert snapshot.read("missing.py") is None


@pytest.mark.usefixtures("git_identity")
def test_the_working_tree_reads_a_link_as_its_targets_name(tmp_path: Path) -> None:
    from charter.hooks.source.snapshot import WorkTree, blob_id

    root = make_repo(tmp_path / "repo")
    (root / "plain.py").write_text("x = 1\n")
    (root / "empty.py").write_text("")
    (root / "folder").mkdir()
    outside = tmp_path / "outside.py"
    outside.write_text("secret = 1\n")
    (root / "linked.py").symlink_to(outside)
    commit_all(root, "first")
    (root / "plain.py").write_text("x = 2\n")  # after git listed it: read and hashed again
    tree = WorkTree(root)
    assert {"empty.py", "plain.py", "linked.py"} <= set(tree.files())
    assert tree.read("plain.py") == b"x = 2\n"
    assert tree.content_id("plain.py") == blob_id(b"x = 2\n")
    assert tree.read("empty.py") == b""
    assert tree.read("linked.py") == str(outside).encode()  # never followed
    assert tree.read("folder") is None and tree.read("missing.py") is None


@pytest.mark.usefixtures("git_identity")
def test_the_working_tree_takes_gits_blob_id_only_for_a_file_unchanged_since_git_listed_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from charter.hooks.source import snapshot
    from charter.hooks.source.snapshot import WorkTree, blob_id

    root = make_repo(tmp_path / "repo")
    (root / "old.py").write_text("x = 1\n")
    (root / "edited.py").write_text("y = 1\n")
    commit_all(root, "first")
    (root / "new.py").write_text("z = 1\n")  # untracked: git has no id for it
    hashed: list[bytes] = []

    def counted(data: bytes) -> str:
        hashed.append(data)
        return blob_id(data)

    monkeypatch.setattr(snapshot, "blob_id", counted)
    monkeypatch.setattr(snapshot, "CLOCK_SLACK_NS", 0)  # every file above is older
    tree = WorkTree(root)
    assert {"old.py", "edited.py", "new.py"} <= set(tree.files())
    (root / "edited.py").write_text("y = 2  # written after git listed it\n")

    assert tree.read("old.py") == b"x = 1\n"
    assert tree.content_id("old.py") == blob_id(b"x = 1\n")
    assert hashed == []  # git's id, not hashed again
    assert tree.read("edited.py") == b"y = 2  # written after git listed it\n"
    assert tree.content_id("edited.py") == blob_id(b"y = 2  # written after git listed it\n")
    assert tree.read("new.py") == b"z = 1\n"
    assert tree.content_id("new.py") == blob_id(b"z = 1\n")
    assert hashed == [b"y = 2  # written after git listed it\n", b"z = 1\n"]


@pytest.mark.usefixtures("git_identity")
@pytest.mark.parametrize("clock", ["this machine's ahead of the file system's", "unreadable"])
def test_the_working_tree_hashes_a_file_changed_after_git_listed_it_whatever_the_clocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: str
) -> None:
    """A file's times are the file system's (a network file system's server may run
    behind this machine): trusting git's id is decided against that clock, and never
    where it cannot be read."""
    import time
    import types

    from charter.hooks.source import early, snapshot
    from charter.hooks.source.snapshot import WorkTree, blob_id

    root = make_repo(tmp_path / "repo")
    (root / "old.py").write_text("x = 1\n")
    (root / "edited.py").write_text("y = 1\n")
    commit_all(root, "first")
    monkeypatch.setattr(snapshot, "CLOCK_SLACK_NS", 0)
    if clock == "unreadable":
        (root / ".git" / "charter").write_text("a file where the folder would be\n")
    else:
        ahead = types.SimpleNamespace(
            time_ns=lambda: time.time_ns() + 3600 * 10**9, monotonic_ns=time.monotonic_ns
        )
        monkeypatch.setattr(early, "time", ahead)
    tree = WorkTree(root)
    assert "edited.py" in tree.files()
    (root / "edited.py").write_text("y = 2  # written after git listed it\n")

    for path in ("edited.py", "old.py"):
        data = tree.read(path)
        assert data is not None and tree.content_id(path) == blob_id(data)
    assert tree.read("edited.py") == b"y = 2  # written after git listed it\n"
    assert not list((root / ".git").glob("charter/clock-*"))  # the clock's file is removed
