"""The index's listing, kept in ``.git/charter/`` by the digest of the index's bytes.

A kept listing must be exactly git's, used only while the index is the one it was made
from, and a damaged or foreign file must cost a git call, never a wrong answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.repo import commit_all, git, write_file

from charter.hooks.source import listing
from charter.hooks.source.early import INDEX_LISTING
from charter.hooks.source.listing import IndexCache, parse


def _git_listing(root: Path) -> listing.Listing:
    return parse(git(root, *INDEX_LISTING).encode("utf-8", "surrogateescape"), 1)


@pytest.fixture
def tracked(repo: Path) -> Path:
    write_file(repo, "app/a.py", "A = 1\n")
    write_file(repo, "app/é.py", "B = 2\n")  # a non-ASCII path
    (repo / "app" / "link.py").symlink_to("a.py")
    commit_all(repo)
    return repo


@pytest.mark.usefixtures("git_identity")
def test_a_kept_listing_is_gits_and_only_for_its_index(tracked: Path) -> None:
    assert IndexCache(tracked).get() is None  # nothing kept yet
    IndexCache(tracked).put(_git_listing(tracked))
    listing._LAST.clear()  # as a new process reads it: from the file
    kept = IndexCache(tracked).get()
    assert kept == _git_listing(tracked)
    assert kept is not None and "app/link.py" in kept.links and "app/é.py" in kept.ids

    write_file(tracked, "app/c.py", "C = 3\n")
    git(tracked, "add", "app/c.py")  # another index: the kept listing is not its,
    assert IndexCache(tracked).get() is None  # even in the process that read it


@pytest.mark.usefixtures("git_identity")
@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"\xe9not marshal at all"])
def test_a_damaged_file_is_not_a_listing(tracked: Path, damage: bytes) -> None:
    cache = IndexCache(tracked)
    cache.put(_git_listing(tracked))
    assert cache.store is not None
    cache.store.write_bytes(damage)
    listing._LAST.clear()
    assert IndexCache(tracked).get() is None
