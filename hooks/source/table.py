"""The import table of a snapshot: each first-party module's file, imports and parse error.

Import rules need the imports of every module, not only of the changed files. The
table is cached as one file per snapshot, keyed by every module's name, path and blob
id, so a warm run reads one file instead of the facts of each module. A snapshot not
seen before starts from the last table written (usually ``HEAD``'s, or the previous
commit attempt's) and takes the facts of only the modules whose content is new.
"""

from __future__ import annotations

import contextlib
import marshal
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeGuard

from charter.hooks import digests
from charter.hooks.source.cache import TAG, read_marshal, save_marshal
from charter.hooks.source.facts import FileFacts, SyntaxProblem

# (module imported, names imported from it, line, col, under TYPE_CHECKING), as the
# table keeps it (a tuple: marshal reads it back as one)
Row = tuple[str, tuple[str, ...], int, int, bool]
KEEP = 4  # tables kept in the cache folder
# Tables read or written by this process, by file: a file's name is its content's key,
# so an entry never goes stale (one whose file was pruned is not used). The Claude hook
# judges an edit against the tree in one process: the tree's table is read once, as the
# edit's starting point and as its base's table.
_SEEN: dict[Path, ImportTable] = {}


@dataclass(frozen=True)
class Entry:
    """One module's imports in the import table, read from its file's blob."""

    path: str
    blob: str  # git blob id of the file ('' when it could not be read)
    imports: tuple[Row, ...]
    error: SyntaxProblem | None

    @classmethod
    def from_data(cls, data: list[Any]) -> Entry:
        path, blob, rows, error, _ = data
        imports = tuple((m, tuple(n), line, col, tc) for m, n, line, col, tc in rows)
        return cls(path, blob, imports, None if error is None else SyntaxProblem.from_data(error))


def _data(module: str, path: str, blob: str, facts: FileFacts) -> list[Any]:
    """An entry as the table keeps it: ``[path, blob, rows, error, key]``, where ``key``
    digests what import rules see of it (module, path, imports; not the blob id).

    The digested bytes are marshal's version 0, which writes no references nor interning
    flags: they depend on the values alone (and on Python's version, which the cache's
    file names carry). ``repr`` of the rows said the same in ~4x the time.
    """
    rows = [(i.module, i.names, i.line, i.col, i.type_checking) for i in facts.imports]
    error = None if facts.syntax_error is None else facts.syntax_error.to_data()
    seen = marshal.dumps((module, path, rows), 0)
    return [path, blob, rows, error, digests.blake2b(seen, digest_size=16).hexdigest()]


class ImportTable:
    """Every module's entry, in the form it is cached in; ``Entry`` records are made
    only when asked for (a commit whose imports did not change needs none of them)."""

    def __init__(self, data: Mapping[str, list[Any]], digest: str) -> None:
        self.data = data  # module -> [path, blob, rows, error, key]
        self.digest = digest  # of what import rules see: modules, paths, imports

    @cached_property
    def entries(self) -> dict[str, Entry]:
        return {module: Entry.from_data(item) for module, item in self.data.items()}

    def imports(self) -> dict[str, list[Row]]:
        """Each module's imports as the table keeps them: the graph reads each row once,
        so no ``Entry`` is made for it (~1.5 ms of ~4,200 rows on Django)."""
        return {module: item[2] for module, item in self.data.items()}

    def errors(self) -> Iterator[tuple[str, SyntaxProblem]]:
        """The path and syntax error of every module that does not parse."""
        for path, _, _, error, _ in self.data.values():
            if error is not None:
                yield path, SyntaxProblem.from_data(error)


@dataclass(frozen=True)
class Start:
    """A table found in the cache, or what a new one reuses and which modules it must parse."""

    table: ImportTable | None  # the cached table of exactly these modules and blobs
    modules: Mapping[str, str]  # module -> path
    blobs: Mapping[str, str]  # module -> blob id ('' when unknown)
    reused: Mapping[str, list[Any]]  # entries of the previous table whose content is the same
    path: Path | None  # where the table is cached

    @property
    def new_paths(self) -> list[str]:
        """The files whose facts the new table needs."""
        return [path for module, path in self.modules.items() if module not in self.reused]

    def matching(self, elsewhere: object) -> dict[str, list[Any]]:
        """The entries made elsewhere (module -> entry: another process's ``made``) that
        are those of these modules' files and bytes."""
        if not isinstance(elsewhere, dict):
            return {}
        return {
            module: entry
            for module, entry in elsewhere.items()
            if module in self.modules and _same(entry, self.modules[module], self.blobs[module])
        }


def start(folder: Path | None, modules: Mapping[str, str], blobs: Mapping[str, str]) -> Start:
    """Look the table of ``modules`` (module -> path, with their blob ids) up in the cache."""
    path = None if folder is None else folder / f"imports-{TAG}-{_key(modules, blobs)}.marshal"
    cached = _read(path)
    if cached is not None and path is not None:
        _touch(path)
        return Start(cached, modules, blobs, {}, path)
    previous = _previous(folder)
    reused = {
        module: old
        for module, file in modules.items()
        if _same(old := previous.get(module), file, blobs[module])
    }
    return Start(None, modules, blobs, reused, path)


def _key(modules: Mapping[str, str], blobs: Mapping[str, str]) -> str:
    """The name of a snapshot's table: a digest of its modules' names, paths and blobs,
    three fields a module, none of which holds a NUL (``repr`` of the sorted triples
    said the same in ~3x the time: ~19 ms of a run on the generated tree, warm or cold)."""
    listed = "\0".join(f"{m}\0{modules[m]}\0{blobs[m]}" for m in sorted(blobs))
    return digests.blake2b(listed.encode("utf-8", "surrogateescape"), digest_size=10).hexdigest()


def _same(entry: object, path: str, blob: str) -> TypeGuard[list[Any]]:
    """Whether a kept entry is that of the file ``path`` holding the blob ``blob``."""
    return (
        isinstance(entry, list)
        and len(entry) == 5
        and bool(blob)
        and entry[0] == path
        and entry[1] == blob
    )


def made(begun: Start, facts: Mapping[str, FileFacts]) -> dict[str, list[Any]]:
    """The entries of the modules whose files' facts (by path) are given."""
    return {
        module: _data(module, path, begun.blobs[module], facts[path])
        for module, path in begun.modules.items()
        if path in facts
    }


def finish(begun: Start, entries: Mapping[str, list[Any]], keep: bool = True) -> ImportTable:
    """The new table: reused entries, and the new ``entries`` (by module) for the others;
    kept in the cache unless told not to (``keep`` it later)."""
    data = {module: begun.reused.get(module) or entries[module] for module in begun.modules}
    table = ImportTable(data, _digest(data))
    if keep:
        keep_table(begun, table)
    return table


def keep_table(begun: Start, table: ImportTable) -> None:
    """Write a new table to the cache (when all its files' blob ids are known)."""
    if begun.path is not None and all(begun.blobs.values()):
        save_marshal(begun.path, {"digest": table.digest, "entries": table.data})
        _remember(begun.path, table)
        _prune(begun.path.parent, keep=begun.path)


def _digest(data: Mapping[str, list[Any]]) -> str:
    """The entries' keys summed: a set's digest, no sort and no text of the whole table
    (an entry's key already names its module)."""
    total = sum(int(item[4], 16) for item in data.values())
    return f"{total % (1 << 128):032x}"


def _read(path: Path | None) -> ImportTable | None:
    if path is None:
        return None
    seen = _SEEN.get(path)
    if seen is not None and path.exists():
        return seen
    data = read_marshal(path)
    try:
        entries = data["entries"]
        if not all(isinstance(item, list) and len(item) == 5 for item in entries.values()):
            return None  # another format's table: made again
        table = ImportTable(entries, str(data["digest"]))
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    _remember(path, table)
    return table


def prefetch(folder: Path | None, count: int = 2) -> None:
    """Read the ``count`` newest tables now (the Claude hook does so while git lists the
    tree): an edit's tree and the table it starts from are usually among them."""
    if folder is None or not folder.is_dir():
        return
    for path in reversed(_tables(folder)[:count]):
        _read(path)


def kept(folder: Path | None) -> bool:
    """Whether the cache holds a table a new one can start from."""
    return folder is not None and folder.is_dir() and bool(_tables(folder))


def _remember(path: Path, table: ImportTable) -> None:
    """Keep the last ``KEEP`` tables (a resident process judges many snapshots)."""
    _SEEN.pop(path, None)
    _SEEN[path] = table
    while len(_SEEN) > KEEP:
        del _SEEN[next(iter(_SEEN))]


def _touch(path: Path) -> None:
    """Mark the table as the last one used: the next new snapshot starts from it."""
    with contextlib.suppress(OSError):
        path.touch()


def _tables(folder: Path) -> list[Path]:
    """The cached tables, newest first."""
    found = []
    for path in folder.glob(f"imports-{TAG}-*.marshal"):
        try:
            found.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    return [path for _, path in sorted(found, reverse=True)]


def _previous(folder: Path | None) -> Mapping[str, list[Any]]:
    if folder is None or not folder.is_dir():
        return {}
    for path in _tables(folder)[:1]:
        table = _read(path)
        return {} if table is None else table.data
    return {}


def _prune(folder: Path, keep: Path) -> None:
    for path in _tables(folder)[KEEP:]:
        if path != keep:
            path.unlink(missing_ok=True)
