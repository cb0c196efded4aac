"""What was read from the configuration files, kept beside the bytes it was read from.

Every hook reads ``pyproject.toml`` and ``.charter.toml``, whose bytes rarely change;
parsing them imports ``tomllib`` (with ``string`` and its regular expressions: ~4 ms of a
hook's start, issue 15) and finds each key's line with a regular expression of its own.
The result of a file's reading is kept in ``<.git>/charter/`` (where the index's
listing is kept) with the file's bytes, and used again only when the bytes are the
same, compared byte for byte: no stat, no clock and no digest is trusted. A file that
does not read cleanly is never kept, so its error is found, and worded, as before.

Only the common layout is kept (``.git`` a folder, no ``GIT_DIR``), as for the listing.
"""

from __future__ import annotations

import marshal
import sys
from pathlib import Path
from typing import Any

from charter.hooks.source.listing import keep, kept_file

FORMAT = 1
TAG = f"{FORMAT}-py{sys.version_info[0]}{sys.version_info[1]}"


class Kept:
    """The kept readings of one repository's configuration files, by file name.

    ``version`` names the reader (its code and what it accepts): a reading kept by
    another reader is never used.
    """

    def __init__(self, root: Path, version: str) -> None:
        self.version = version
        self._entries: dict[str, tuple[bytes, Any]] = {}
        self._dirty = False
        self.store = kept_file(root, f"settings-{TAG}.marshal")
        if self.store is None:
            return
        try:
            found, entries = marshal.loads(self.store.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return
        if found == version and isinstance(entries, dict):
            self._entries = entries

    def get(self, name: str, data: bytes) -> Any | None:
        """What was kept from ``name`` when its bytes were ``data``; None otherwise."""
        entry = self._entries.get(name)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == data:
            return entry[1]
        return None

    def put(self, name: str, data: bytes, reading: Any) -> None:
        """Keep ``reading`` for ``data``, if it holds only what ``marshal`` writes (a
        TOML date is not: such a file is read again every time)."""
        try:
            marshal.dumps(reading)
        except ValueError:
            return
        self._entries[name] = (data, reading)
        self._dirty = True

    def save(self) -> None:
        if self.store is None or not self._dirty:
            return
        keep(self.store, marshal.dumps((self.version, self._entries)))
        self._dirty = False
