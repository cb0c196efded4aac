"""The facts cache: file facts by content id, in one file, written atomically.

The cache lives in ``cache_dir`` (default ``.charter_cache/``), which holds a
``.gitignore`` of ``*`` so it is never committed. Entries are keyed by git blob id and
module name; the file name carries Charter's and Python's versions (``marshal`` is
version-specific). Concurrent runs are safe: each writes a temporary file and renames
it over the old one, so a reader sees a whole cache or none.
"""

from __future__ import annotations

import marshal
import os
import sys
import tempfile
from pathlib import Path

from charter.hooks import __version__
from charter.hooks.source.facts import FileFacts

FORMAT = 1


def ensure_folder(folder: Path) -> None:
    """Create the cache folder, with a ``.gitignore`` that keeps it out of commits."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Charter's cache: never commit it.\n*\n")


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, whole."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class FactsCache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._data: dict[str, list[object]] = {}
        self._facts: dict[str, FileFacts] = {}
        self._dirty = False
        self._used: set[str] = set()
        if folder is not None:
            self._data = self._load(self.path)

    @property
    def path(self) -> Path:
        assert self.folder is not None
        tag = f"{FORMAT}-{__version__}-py{sys.version_info[0]}{sys.version_info[1]}"
        return self.folder / f"facts-{tag}.marshal"

    @staticmethod
    def _load(path: Path) -> dict[str, list[object]]:
        try:
            data = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, key: str) -> FileFacts | None:
        facts = self._facts.get(key)
        if facts is None and key in self._data:
            try:
                facts = FileFacts.from_data(self._data[key])
            except (TypeError, ValueError, AssertionError):
                return None
            self._facts[key] = facts
        if facts is not None:
            self._used.add(key)
        return facts

    def put(self, key: str, facts: FileFacts) -> None:
        self._facts[key] = facts
        self._data[key] = facts.to_data()
        self._used.add(key)
        self._dirty = True

    def save(self) -> None:
        """Write the cache if anything new was parsed.

        Entries this run did not use are kept, unless they outnumber the used ones
        (then they are stale: files since changed or deleted) and are dropped.
        """
        if self.folder is None or not self._dirty:
            return
        ensure_folder(self.folder)
        kept = self._data
        if len(self._data) > 2 * len(self._used):
            kept = {key: value for key, value in self._data.items() if key in self._used}
        write_atomic(self.path, marshal.dumps(kept))
        self._dirty = False
