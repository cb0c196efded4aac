"""Charter's cache folder: file facts, import tables and results, written atomically.

The cache lives in ``cache_dir`` (default ``.charter_cache/``), which holds a
``.gitignore`` of ``*`` so it is never committed. Every entry is keyed by content (git
blob ids, digests of the constraints in force), never by time, so a stale entry is
simply never asked for. File names carry Charter's and Python's versions (``marshal``
is version-specific). Concurrent runs are safe: each writes a temporary file and
renames it over the old one, so a reader sees a whole file or none.

- ``facts-*.marshal``: the facts of each Python file, by blob id and module name;
- ``imports-*.marshal``: one snapshot's import table (``table.py``);
- ``results-*.marshal``: findings per file and per import graph (``results.py``).
"""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path
from typing import Any

from charter.hooks import __version__
from charter.hooks.errors import CharterError
from charter.hooks.source.atomic import write_atomic
from charter.hooks.source.facts import FileFacts

FORMAT = 4  # 3: imports in source order; 4: import table rows are tuples, keys digest marshal
TAG = f"{FORMAT}-{__version__}-py{sys.version_info[0]}{sys.version_info[1]}"


IGNORE = "# Charter's cache: never commit it.\n*\n"


def ensure_folder(folder: Path) -> None:
    """Create the cache folder, with a ``.gitignore`` that keeps it out of commits.

    The ``.gitignore`` of ``*`` would hide the user's own files from ``git add`` if the
    folder were theirs: a folder that already holds anything but Charter's files is
    refused (``CharterError``), never taken over.
    """
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if ignore.is_symlink() or (ignore.exists() and not _is_ours(ignore)):
        raise _not_dedicated(folder)
    if not ignore.exists():
        # Hooks started at once on a fresh clone make the folder together: another
        # Charter process's '.gitignore' being written (its temporary file), or written
        # since, is no file of the user's.
        others = [entry for entry in folder.iterdir() if not _ignore_being_written(entry.name)]
        if others and not (ignore.exists() and not ignore.is_symlink() and _is_ours(ignore)):
            raise _not_dedicated(folder)
        write_atomic(ignore, IGNORE.encode())


def _ignore_being_written(name: str) -> bool:
    """Whether ``name`` is ``write_atomic``'s temporary file for a '.gitignore'."""
    return name.startswith("..gitignore-") and name.endswith(".tmp")


def _is_ours(ignore: Path) -> bool:
    try:
        return ignore.read_text(encoding="utf-8", errors="replace") == IGNORE
    except OSError:
        return False


def _not_dedicated(folder: Path) -> CharterError:
    return CharterError(
        f"{os.path.relpath(folder)}: this folder already holds files that are not Charter's, "
        "so Charter will not write its cache (and a '.gitignore' of '*') into it: set "
        "cache_dir to a dedicated folder such as '.charter_cache'"
    )


def read_marshal(path: Path) -> Any:
    """The object marshalled in ``path``, or None when it is missing or unreadable."""
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None


def save_marshal(path: Path, data: Any) -> None:
    """Write ``data`` atomically; a cache that cannot be written only costs time."""
    save_bytes(path, marshal.dumps(data))


def save_bytes(path: Path, data: bytes) -> None:
    """Write a cache file atomically, its folder made Charter's first; a cache that
    cannot be written only costs time."""
    try:
        ensure_folder(path.parent)
        write_atomic(path, data)
    except OSError:
        pass


class MarshalStore:
    """A dict in one marshal file, read on first use, written back when changed.

    Entries this run did not use are kept, unless they outnumber the used ones (then
    they are stale: files since changed or deleted) and are dropped.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._data: dict[str, Any] | None = None
        self._used: set[str] = set()
        self._dirty = False

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            loaded = None if self.path is None else read_marshal(self.path)
            self._data = loaded if isinstance(loaded, dict) else {}
        return self._data

    def get(self, key: str) -> Any:
        value = self.data.get(key)
        if value is not None:
            self._used.add(key)
        return value

    def put(self, key: str, value: object) -> None:
        self.data[key] = value
        self._used.add(key)
        self._dirty = True

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        kept = self.data
        if len(kept) > 2 * len(self._used):
            kept = {key: value for key, value in kept.items() if key in self._used}
        save_marshal(self.path, kept)
        self._dirty = False


class FactsCache:
    """File facts by ``<blob id>:<module>``."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._store = MarshalStore(None if folder is None else folder / f"facts-{TAG}.marshal")
        self._facts: dict[str, FileFacts] = {}

    @property
    def path(self) -> Path:
        assert self._store.path is not None
        return self._store.path

    def get(self, key: str) -> FileFacts | None:
        facts = self._facts.get(key)
        if facts is None:
            data = self._store.get(key)
            if data is None:
                return None
            try:
                facts = FileFacts.from_data(data)
            except (TypeError, ValueError, AssertionError):
                return None
            self._facts[key] = facts
        return facts

    def preload(self) -> None:
        """Read the kept facts now (before threads share this cache: ``engine.Ahead``)."""
        self._store.data  # noqa: B018 - read now

    def put(self, key: str, facts: FileFacts) -> None:
        self._facts[key] = facts
        self._store.put(key, facts.to_data())

    def save(self) -> None:
        self._store.save()


class Cache:
    """Everything a run may cache, in one folder (None: cache nothing)."""

    def __init__(self, folder: Path | None) -> None:
        from charter.hooks.source.results import Results

        self.folder = folder
        self.facts = FactsCache(folder)
        self.results = Results(folder)
        # The files read and the module index, by a digest of the listing and settings.
        self.modules = MarshalStore(None if folder is None else folder / f"modules-{TAG}.marshal")

    def preload(self, tables: int = 2) -> None:
        """Read what a warm run of the engine reads (its findings, the module index and the
        ``tables`` newest import tables), while the caller waits for git to list the files."""
        from charter.hooks.source import table

        self.results.preload()
        self.modules.data  # noqa: B018 - read now
        table.prefetch(self.folder, tables)

    def save(self) -> None:
        self.facts.save()
        self.results.save()
        self.modules.save()
