"""A snapshot of the repository's files: the working tree, the index, or a commit.

Every snapshot names its files and reads their bytes; ``content_id`` is git's blob id
(sha1 of ``blob <size>\\0<bytes>``), so the same content has the same id in the working
tree, the index and any commit, and the facts cache is shared between them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Protocol

from charter.hooks.source import git
from charter.hooks.source.files import repository_files


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class Snapshot(Protocol):
    root: Path
    label: str

    def files(self) -> list[str]: ...

    def read(self, path: str) -> bytes | None: ...

    def content_id(self, path: str) -> str | None: ...


class WorkTree:
    """The files on disk (tracked, and untracked but not ignored).

    A tracked file that git sees unmodified has the blob id the index records, so
    it is neither stat'ed nor read (nor hashed) unless a check needs its text.
    """

    label = "working tree"

    def __init__(self, root: Path) -> None:
        self.root = root
        self._ids: dict[str, str] = {}
        self._files: list[str] | None = None

    def files(self) -> list[str]:
        if self._files is None:
            listing = _listing(self.root)
            if listing is None:
                paths = repository_files(self.root)
            else:
                self._ids, found = listing
                paths = sorted(found)
            self._files = [p for p in paths if p in self._ids or (self.root / p).is_file()]
        return self._files

    def read(self, path: str) -> bytes | None:
        file = self.root / path
        try:
            # A symlink is its target's name, as git stores it: following it would read
            # (and let 'charter fix' rewrite) a file that may lie outside the repository.
            data = os.readlink(file).encode() if file.is_symlink() else file.read_bytes()
        except OSError:
            return None
        self._ids[path] = blob_id(data)
        return data

    def content_id(self, path: str) -> str | None:
        if path not in self._ids and self.read(path) is None:
            return None
        return self._ids[path]


class _GitObjects:
    """Blob ids of a tree-ish (listed on first use), read through one ``git.BlobReader``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._listed: dict[str, str] | None = None
        self._blobs = git.BlobReader(root)

    def _list(self) -> dict[str, str]:
        raise NotImplementedError

    @property
    def _ids(self) -> dict[str, str]:
        if self._listed is None:
            self._listed = self._list()
        return self._listed

    def files(self) -> list[str]:
        return sorted(self._ids)

    def content_id(self, path: str) -> str | None:
        return self._ids.get(path)

    def read(self, path: str) -> bytes | None:
        sha = self._ids.get(path)
        return None if sha is None else self._blobs.read(sha)

    def close(self) -> None:
        self._blobs.close()

    def __del__(self) -> None:
        self.close()


def _entries(output: bytes, sha_field: int) -> Iterator[tuple[str, str]]:
    for record in output.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        fields = meta.split()
        if fields and fields[0] in (b"100644", b"100755"):
            yield path.decode("utf-8", "surrogateescape"), fields[sha_field].decode()


class Index(_GitObjects):
    """The staged snapshot: what the next commit will contain."""

    label = "index"

    def _list(self) -> dict[str, str]:
        return index_ids(self.root)


class Commit(_GitObjects):
    """The files of a commit (``HEAD``, a branch, a sha)."""

    def __init__(self, root: Path, rev: str) -> None:
        super().__init__(root)
        self.label = rev

    def _list(self) -> dict[str, str]:
        output = git.run(self.root, "ls-tree", "-r", "-z", "--full-tree", self.label)
        return dict(_entries(output, 2))


def _listing(root: Path) -> tuple[dict[str, str], set[str]] | None:
    """The work tree's files (tracked and not deleted, or untracked and not ignored) and
    the blob ids of the tracked ones git finds unmodified; None outside git.

    The two ``git ls-files`` run at the same time.
    """
    if not git.is_repository(root):
        return None
    outputs = git.together(
        root,
        ("ls-files", "--stage", "-z"),
        ("ls-files", "-z", "-t", "--modified", "--deleted", "--others", "--exclude-standard"),
    )
    if outputs is None:
        return None
    staged, changes = outputs
    ids = dict(_entries(staged, 1))
    paths = {
        record.partition(b"\t")[2].decode("utf-8", "surrogateescape")
        for record in staged.split(b"\0")
        if record
    }
    for record in changes.split(b"\0"):
        tag, path = record[:1], record[2:].decode("utf-8", "surrogateescape")
        if tag in (b"C", b"R"):  # modified, deleted
            ids.pop(path, None)
            if tag == b"R":
                paths.discard(path)
        elif tag == b"?":
            paths.add(path)
    return ids, paths


def index_ids(root: Path) -> dict[str, str]:
    """Path -> blob id of every regular file in the index."""
    return dict(_entries(git.run(root, "ls-files", "--stage", "-z"), 1))


class Overlay:
    """A snapshot with some files replaced, added or deleted in memory (None: deleted).

    What a proposed change (an agent's edit, a patch) would make of ``base``, checked
    without writing anything to disk.
    """

    def __init__(
        self, base: Snapshot, changes: Mapping[str, bytes | None], label: str = "proposed change"
    ) -> None:
        self.root = base.root
        self.label = label
        self._base = base
        self._changes = dict(changes)

    def files(self) -> list[str]:
        present = {path for path, data in self._changes.items() if data is not None}
        deleted = {path for path, data in self._changes.items() if data is None}
        return sorted((set(self._base.files()) | present) - deleted)

    def read(self, path: str) -> bytes | None:
        if path in self._changes:
            return self._changes[path]
        return self._base.read(path)

    def content_id(self, path: str) -> str | None:
        if path in self._changes:
            data = self._changes[path]
            return None if data is None else blob_id(data)
        return self._base.content_id(path)


def symlinks(snapshot: Snapshot, folder: str) -> list[str]:
    """The symbolic links under ``folder`` (which the snapshot's files leave out)."""
    prefix = folder.rstrip("/") + "/"
    if isinstance(snapshot, Index):
        output = git.optional(snapshot.root, "ls-files", "--stage", "-z", "--", prefix)
    elif isinstance(snapshot, Commit):
        output = git.optional(
            snapshot.root, "ls-tree", "-r", "-z", "--full-tree", snapshot.label, "--", prefix
        )
    else:
        base = snapshot.root / folder
        found = base.rglob("*") if base.is_dir() else iter(())
        return sorted(p.relative_to(snapshot.root).as_posix() for p in found if p.is_symlink())
    links = []
    for record in (output or b"").split(b"\0"):
        meta, _, path = record.partition(b"\t")
        if meta.startswith(b"120000"):
            links.append(path.decode("utf-8", "surrogateescape"))
    return links
