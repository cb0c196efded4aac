"""A snapshot of the repository's files: the working tree, the index, or a commit.

Every snapshot names its files and reads their bytes; ``content_id`` is git's blob id
(sha1 of ``blob <size>\\0<bytes>``), so the same content has the same id in the working
tree, the index and any commit, and the facts cache is shared between them.
"""

from __future__ import annotations

import bisect
import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

from charter.hooks import digests
from charter.hooks.source import git
from charter.hooks.source.early import INDEX_LISTING, TREE_CHANGES, tree_listed_at
from charter.hooks.source.files import repository_files
from charter.hooks.source.listing import IndexCache, Listing, parse


def blob_id(data: bytes) -> str:
    return digests.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class Snapshot(Protocol):
    root: Path
    label: str

    def files(self) -> list[str]:
        """The regular files' paths, sorted (callers may bisect it; never change it)."""
        ...

    def read(self, path: str) -> bytes | None: ...

    def content_id(self, path: str) -> str | None: ...


class WorkTree:
    """The files on disk (tracked, and untracked but not ignored).

    A tracked file that git sees unmodified has the blob id the index records, so
    it is neither stat'ed nor read (nor hashed) unless a check needs its text. git
    starts listing the files when the snapshot is made: its walk of the folders waits
    on the file system while Charter imports and loads the decisions.
    """

    label = "working tree"

    def __init__(self, root: Path) -> None:
        self.root = root
        self._ids: dict[str, str] = {}
        self._files: list[str] | None = None
        # A file read whose status last changed before git started listing (by more
        # than ``CLOCK_SLACK_NS``) holds the bytes git saw: its blob id is git's. Where
        # the file system's clock cannot be read, every file read is hashed.
        started = tree_listed_at(root)
        self._unchanged_before = -1 if started is None else started - CLOCK_SLACK_NS
        self._pending = _start_listing(root)

    def files(self) -> list[str]:
        if self._files is None:
            listing = None if self._pending is None else self._pending.result()
            self._pending = None
            if listing is None:
                paths = repository_files(self.root)
            else:
                self._ids, found = listing
                paths = sorted(found)
            self._files = [p for p in paths if p in self._ids or (self.root / p).is_file()]
        return self._files

    def read(self, path: str) -> bytes | None:
        """The file's bytes (None: it cannot be read), its blob id known from then on.

        The id is git's when git listed the file unmodified and its status (``ctime``,
        which every write sets and no one can set back) is older than the listing's
        start: hashing Django's modules again was ~10 ms of a cold run's 230. Any other
        file read is hashed."""
        # Where a link cannot be refused by the open itself, every file goes the slow way.
        found = _read_regular(os.path.join(self.root, path)) if _NO_FOLLOW else None
        if found is not None:
            data, changed = found
            if changed < self._unchanged_before and path in self._ids:
                return data
        else:
            file = self.root / path
            try:
                # A symlink is its target's name, as git stores it: following it would
                # read (and let 'charter fix' rewrite) a file that may lie outside the
                # repository.
                data = os.readlink(file).encode() if file.is_symlink() else file.read_bytes()
            except OSError:
                return None
        self._ids[path] = blob_id(data)
        return data

    def content_id(self, path: str) -> str | None:
        if path not in self._ids and self.read(path) is None:
            return None
        return self._ids[path]

    def close(self) -> None:
        """Stop listing the files, when they turn out not to be needed."""
        pending, self._pending = getattr(self, "_pending", None), None
        if pending is not None:
            pending.running.stop()

    def __del__(self) -> None:
        pending = getattr(self, "_pending", None)
        if pending is not None:
            pending.result()  # never leave a git process behind


_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
# File systems keep times as coarse as 2 s (FAT), and the kernel stamps them from a clock
# up to a tick behind ``time.time_ns()``: a file whose status changed this close to the
# listing's start may have changed after git looked at it.
CLOCK_SLACK_NS = 3_000_000_000
_NO_WAIT = getattr(os, "O_NONBLOCK", 0)


def _read_regular(file: str) -> tuple[bytes, int] | None:
    """The bytes of ``file`` and when its status last changed (``st_ctime_ns``) when it
    is a regular file, else None (it cannot be opened or read, or is something else).
    Opening never follows a symbolic link where the system can refuse one
    (``O_NOFOLLOW``), and never waits (a FIFO).

    A cold run reads every module (Django's 856): ``Path`` arithmetic, an ``lstat`` for
    the link and ``read_bytes`` were ~23 ms there, these few system calls ~6 ms.
    """
    try:
        fd = os.open(file, os.O_RDONLY | _NO_FOLLOW | _NO_WAIT)
    except (OSError, ValueError):
        return None
    try:
        size = os.fstat(fd)
        if not stat.S_ISREG(size.st_mode):
            return None
        # Its size and one byte more, then on to the end: a read may return less than
        # asked for, and the file may grow meanwhile.
        data = os.read(fd, size.st_size + 1)
        while more := os.read(fd, 1 << 16):
            data += more
    except OSError:
        return None
    finally:
        os.close(fd)
    return data, size.st_ctime_ns


class _GitObjects:
    """Blob ids of a tree-ish (listed on first use), read through one ``git.BlobReader``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._listed: Listing | None = None
        self._derive: Callable[[], Listing] | None = None
        self._sorted: list[str] | None = None
        self._blobs = git.BlobReader(root)

    def _list(self) -> Listing:
        raise NotImplementedError

    @property
    def listed(self) -> bool:
        """Whether the listing is at hand (an ``Index``'s is, from its cache, or soon)."""
        return self._listed is not None or self._derive is not None

    def follow(self, derive: Callable[[], Listing]) -> None:
        """List this snapshot with ``derive`` (another listing and git's raw diff between
        the two: ``changes``) when it is first needed, rather than asking git for it all."""
        if self._listed is None:
            self._derive = derive

    @property
    def listing(self) -> Listing:
        if self._listed is None:
            self._listed = self._derive() if self._derive is not None else self._list()
            self._derive = None
        return self._listed

    @property
    def _ids(self) -> dict[str, str]:
        return self.listing.ids

    def files(self) -> list[str]:
        if self._sorted is None:  # asked for again and again (settings, decisions, kinds)
            self._sorted = sorted(self._ids)
        return self._sorted

    def content_id(self, path: str) -> str | None:
        return self._ids.get(path)

    def read(self, path: str) -> bytes | None:
        sha = self._ids.get(path)
        if sha is None:
            return None
        found = _same_on_disk(self.root / path, sha)
        return found if found is not None else self._blobs.read(sha)

    def close(self) -> None:
        self._blobs.close()

    def __del__(self) -> None:
        self.close()


def _same_on_disk(file: Path, sha: str) -> bytes | None:
    """The file's bytes when they are the blob ``sha`` (git names a blob by its bytes),
    read without asking git: the files a commit holds are nearly always on disk as
    they are staged (pre-commit stashes what is not). Only a regular file is read
    (``_read_regular``)."""
    found = _read_regular(os.fspath(file))
    return found[0] if found is not None and blob_id(found[0]) == sha else None


class Index(_GitObjects):
    """The staged snapshot: what the next commit will contain."""

    label = "index"

    @property
    def listed(self) -> bool:
        return True  # kept between runs by the index file's content (``IndexCache``)

    def _list(self) -> Listing:
        return index_listing(self.root)


class Commit(_GitObjects):
    """The files of a commit (``HEAD``, a branch, a sha)."""

    def __init__(self, root: Path, rev: str) -> None:
        super().__init__(root)
        self.label = rev

    def _list(self) -> Listing:
        output = git.run(self.root, "ls-tree", "-r", "-z", "--full-tree", self.label)
        return parse(output, 2)


class _PendingListing:
    """The work tree's listing, being computed by git (``_start_listing``)."""

    def __init__(self, root: Path, cache: IndexCache, staged: Listing | None) -> None:
        self.cache = cache
        self.staged = staged
        commands: list[tuple[str, ...]] = [TREE_CHANGES]
        if staged is None:
            commands.append(INDEX_LISTING)
        self.running = git.start(root, *commands)

    def result(self) -> tuple[dict[str, str], set[str]] | None:
        """The files (tracked and not deleted, or untracked and not ignored) and the blob
        ids of the tracked ones git finds unmodified; None when git failed."""
        outputs = self.running.wait()
        if outputs is None:
            return None
        staged = self.staged
        if staged is None:
            staged = parse(outputs[1], 1)
            self.cache.put(staged)
        ids = dict(staged.ids)
        paths = {*staged.ids, *staged.links}
        for record in outputs[0].split(b"\0"):
            tag, path = record[:1], record[2:].decode("utf-8", "surrogateescape")
            if tag in (b"C", b"R"):  # modified, deleted
                ids.pop(path, None)
                if tag == b"R":
                    paths.discard(path)
            elif tag == b"?":
                paths.add(path)
        return ids, paths


def _start_listing(root: Path) -> _PendingListing | None:
    """Start listing the work tree (None outside git)."""
    if not git.is_repository(root):
        return None
    cache = IndexCache(root)
    return _PendingListing(root, cache, cache.get())


def index_questions(root: Path) -> list[tuple[str, ...]]:
    """The question that lists the index, unless its listing is kept (for ``git.ahead``)."""
    return [] if IndexCache(root).get() is not None else [INDEX_LISTING]


def index_listing(root: Path) -> Listing:
    """Every regular file (path -> blob id) and symbolic link in the index."""
    cache = IndexCache(root)
    listing = cache.get()
    if listing is None:
        listing = parse(git.run(root, *INDEX_LISTING), 1)
        cache.put(listing)
    return listing


def index_ids(root: Path) -> dict[str, str]:
    """Path -> blob id of every regular file in the index."""
    return index_listing(root).ids


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
        self.base = base
        self._changes = dict(changes)

    @property
    def changed(self) -> frozenset[str]:
        """The paths replaced, added or deleted."""
        return frozenset(self._changes)

    def files(self) -> list[str]:
        # The base's sorted list, with the few added and deleted paths put in their places
        # (an edit of a file that exists changes nothing here): sorting the whole tree
        # again would cost more than the edit's whole check.
        files = base = self.base.files()
        for path, data in sorted(self._changes.items()):
            at = bisect.bisect_left(files, path)
            if (at < len(files) and files[at] == path) == (data is not None):
                continue
            if files is base:
                files = list(base)
            if data is None:
                del files[at]
            else:
                files.insert(at, path)
        return files

    def read(self, path: str) -> bytes | None:
        if path in self._changes:
            return self._changes[path]
        return self.base.read(path)

    def content_id(self, path: str) -> str | None:
        if path in self._changes:
            data = self._changes[path]
            return None if data is None else blob_id(data)
        return self.base.content_id(path)


def symlinks(snapshot: Snapshot, folder: str) -> list[str]:
    """The symbolic links under ``folder`` (which the snapshot's files leave out)."""
    prefix = folder.rstrip("/") + "/"
    if isinstance(snapshot, _GitObjects):
        return [path for path in snapshot.listing.links if path.startswith(prefix)]
    base = snapshot.root / folder
    found = base.rglob("*") if base.is_dir() else iter(())
    return sorted(p.relative_to(snapshot.root).as_posix() for p in found if p.is_symlink())
