"""The index's listing (path -> blob id), kept between runs by the index file's content.

``git ls-files --stage`` over a large index costs a process and ~10-20 ms of parsing in
every hook; the commit's two hooks, ``check --all`` and the Claude hook list the same
index again and again. The parsed listing is kept in ``<.git>/charter/`` (beside the
journal) under a digest of the index file's bytes, which name the listing exactly: no
stat and no clock is trusted between runs, so git's racy-index problem does not arise.
Reading and hashing the file is ~1.5 ms for 7,000 entries; within one run, the digest
is reused while ``stat`` says the file is the one hashed.

Only the common layout is cached: ``.git`` a folder, the index ``.git/index`` or the
one git names in ``GIT_INDEX_FILE`` (a commit of given paths); with ``GIT_DIR`` set, or
a ``.git`` file (a worktree, a submodule), git is asked every time.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from charter.hooks import digests
from charter.hooks.source.atomic import write_atomic
from charter.hooks.source.early import KEPT_FOLDER, KEPT_LISTING

FORMAT = 2  # the key, then the listing: two marshal objects
TAG = f"{FORMAT}-py{sys.version_info[0]}{sys.version_info[1]}"


class Listing(NamedTuple):
    """The regular files' blob ids and the symbolic links of one listing."""

    ids: dict[str, str]
    links: list[str]


REGULAR = (b"100644", b"100755")  # the modes of a regular file (git's other: links, gitlinks)
LINK = b"120000"


def parse(output: bytes, sha_field: int) -> Listing:
    """A ``-z`` listing of ``ls-files --stage`` (sha field 1) or ``ls-tree -r`` (2)."""
    ids: dict[str, str] = {}
    links: list[str] = []
    for record in output.split(b"\0"):
        meta, _, raw = record.partition(b"\t")
        fields = meta.split()
        if not fields:
            continue
        path = raw.decode("utf-8", "surrogateescape")
        if fields[0] in REGULAR:
            ids[path] = fields[sha_field].decode()
        elif fields[0] == LINK:
            links.append(path)
    return Listing(ids, links)


def patched(listing: Listing, entries: Iterable[tuple[str, bytes, str]]) -> Listing:
    """``listing`` with each (path, mode, blob id) of ``entries`` put in its place: a
    regular file, a symbolic link, or nothing (any other mode: absent, a gitlink).

    Another snapshot's listing follows from one listing and git's raw diff between them,
    without listing a whole tree again.
    """
    ids = dict(listing.ids)
    links = set(listing.links)
    for path, mode, blob in entries:
        ids.pop(path, None)
        links.discard(path)
        if mode in REGULAR:
            ids[path] = blob
        elif mode == LINK:
            links.add(path)
    return Listing(ids, sorted(links))


# The index file's digest in this process, by what ``stat`` says of the file.
_DIGESTS: dict[Path, tuple[tuple[int, int, int, int], str]] = {}

# The last listing read or kept, per store, and the time its file was written: a process
# that asks again (a hook asking whether the listing is cached before listing) does not
# read the file twice.
_LAST: dict[Path, tuple[str, Listing, int]] = {}


def kept_file(root: Path, name: str) -> Path | None:
    """Where a reading of the repository at ``root`` named ``name`` is kept:
    ``<.git>/charter/``, in the common layout only (None with ``GIT_DIR`` set, or a
    ``.git`` file)."""
    git_dir = root / ".git"
    if "GIT_DIR" in os.environ or not git_dir.is_dir():
        return None
    return git_dir / KEPT_FOLDER / name


def keep(path: Path, data: bytes) -> None:
    """Write a kept file whole (``write_atomic``), its folder made first; one that cannot
    be written only costs the next run the reading again."""
    try:
        path.parent.mkdir(exist_ok=True)
        write_atomic(path, data)
    except OSError:
        pass


class IndexCache:
    """The cached listing of the index of the repository at ``root``."""

    def __init__(self, root: Path) -> None:
        self.index: Path | None = None
        self._key: str | None = None
        self.store = kept_file(root, f"{KEPT_LISTING}{TAG}.marshal")
        if self.store is not None:
            named = os.environ.get("GIT_INDEX_FILE")
            self.index = (root / named) if named else root / ".git" / "index"

    def key(self) -> str | None:
        """The digest of the index file as it is now (None: it cannot be read)."""
        if self._key is None:
            self._key = self._digest()
        return self._key

    def _digest(self) -> str | None:
        if self.index is None:
            return None
        try:
            # Asked two or three times a run (is a listing kept? is it still the index's
            # when kept?): the bytes are hashed again only when the file is another. git
            # replaces the index by renaming a new file over it (a new inode), and any
            # write changes its times; across runs, only the bytes' digest is trusted.
            seen = os.stat(self.index)
            file = (seen.st_ino, seen.st_size, seen.st_mtime_ns, seen.st_ctime_ns)
            last = _DIGESTS.get(self.index)
            if last is not None and last[0] == file:
                return last[1]
            digest = digests.blake2b(self.index.read_bytes(), digest_size=20).hexdigest()
        except OSError:
            return None
        _DIGESTS[self.index] = (file, digest)
        return digest

    def get(self) -> Listing | None:
        key = self.key()
        if key is None or self.store is None:
            return None
        last = _LAST.get(self.store)
        if last is None or last[0] != key:
            # Not asked before in this process, or the index has changed since.
            last = self._read(self.store, key)
            if last is None:
                return None
        _LAST[self.store] = self._vouch(self.store, last)
        return last[1]

    @staticmethod
    def _read(store: Path, key: str) -> tuple[str, Listing, int] | None:
        """The listing kept in ``store`` for the index whose digest is ``key``."""
        try:
            with store.open("rb") as file:
                # The key first: the listing of another index (a commit's new staging)
                # is never read whole (~0.6 MB for Django's 6,800 files).
                if marshal.load(file) != key:
                    return None
                # Read whole, then parsed: ``marshal.load`` reads a file object one value
                # at a time (~20 ms for Django's 6,800 paths and ids, against ~3 ms).
                ids, links = marshal.loads(file.read())
                written = os.fstat(file.fileno()).st_mtime_ns
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if not (isinstance(ids, dict) and isinstance(links, list)):
            return None
        return key, Listing(ids, links), written

    def _vouch(self, store: Path, kept: tuple[str, Listing, int]) -> tuple[str, Listing, int]:
        """``kept``, its file dated no earlier than the index when it was written before.

        git writes the index again with the same bytes (``git status`` refreshing it, as
        agents run it between edits): the listing is still the index's, but ``early``
        judges by the two files' times whether to ask git for the index's listing before
        Charter is imported, and would ask it in every run from then on.
        """
        seen = _DIGESTS.get(self.index) if self.index is not None else None
        changed = seen[0][2] if seen is not None else 0
        if kept[2] >= changed:
            return kept
        try:
            os.utime(store, ns=(changed, changed))
        except OSError:
            return kept
        return kept[0], kept[1], changed

    def put(self, listing: Listing) -> None:
        """Keep ``listing``, git's answer for the index read by ``key()``, unless the
        index changed meanwhile (the answer may then be the new index's)."""
        key = self.key()
        if key is None or self.store is None or self._digest() != key:
            return
        keep(self.store, marshal.dumps(key) + marshal.dumps((listing.ids, listing.links)))
        try:
            written = os.stat(self.store).st_mtime_ns
        except OSError:
            written = 0  # not kept: the next run lists the index again anyway
        _LAST[self.store] = (key, listing, written)
