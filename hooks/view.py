"""What every constraint kind reads: the ``SnapshotView`` of one snapshot.

The snapshot's files (config ``exclude`` applied), their text and facts (cached by
content), the module index, the import table and graph (built once, on first use). The
view has no scope of its own: the engine tells each kind which paths it judges.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from charter.hooks import digests
from charter.hooks.constraint.active import ActiveConstraint, governs
from charter.hooks.globs import GlobSet
from charter.hooks.settings import Settings
from charter.hooks.source import native
from charter.hooks.source import table as import_table
from charter.hooks.source.batch import MIN_FILES, extract_many
from charter.hooks.source.cache import Cache
from charter.hooks.source.facts import (
    FileFacts,
    SyntaxProblem,
    extract,
    imports_of,
    syntax_problem,
)
from charter.hooks.source.graph import ImportGraph
from charter.hooks.source.markers import marked_lines
from charter.hooks.source.modules import ModuleIndex, build_index
from charter.hooks.source.snapshot import Snapshot
from charter.hooks.source.text import Unreadable, decode, lacks

if TYPE_CHECKING:
    from pathlib import Path

# What a view found in one file, for another view of the same snapshot: its blob id,
# its facts (``FileFacts.to_data``) if it was parsed, its word tests (``may_use``), and
# its syntax when it was parsed for nothing else (``syntax_error``: None when it was not,
# ``[]`` when it parses, else the error's fields).
Learned = tuple[
    str | None,
    list[object] | None,
    tuple[tuple[frozenset[str], bool], ...],
    list[object] | None,
]


class SnapshotView:
    def __init__(self, snapshot: Snapshot, settings: Settings, cache: Cache) -> None:
        self.snapshot = snapshot
        self.settings = settings
        self.cache = cache
        self.files, self.index, self.module_of = _scoped(snapshot.files(), settings, cache)
        self.notes_of: dict[str, list[str]] = {}  # path -> why it was skipped
        self.parsed: set[str] = set()  # Python files whose facts this run needed
        self.unreadable: dict[str, str] = {}  # path -> why it could not be read (a finding)
        self._texts: dict[str, str | None] = {}
        self._held: dict[str, bytes] = {}  # bytes read ahead (``hold``), until decoded
        self._facts: dict[str, FileFacts] = {}
        self._syntax: dict[str, SyntaxProblem | None] = {}  # files parsed for it alone
        self._in_scope: dict[tuple[tuple[str, ...], ...], list[str]] = {}
        self._python_in_scope: dict[tuple[tuple[str, ...], ...], list[str]] = {}
        self._mentions: dict[tuple[str, frozenset[str]], bool] = {}
        # Called once the texts the import table needs are read, as its scan starts
        # (``engine.Ahead`` parses other files meanwhile, while grimp runs without the GIL).
        self.scanning: Callable[[], None] | None = None
        self._later: Callable[[], Mapping[str, Learned] | None] | None = None  # ``settle``
        # Called once grimp's scans are done (``native.scan``), before the read-back.
        self.scanned: Callable[[], None] | None = None
        # The modules whose table entries another process makes (``share``).
        self._shared: tuple[frozenset[str], Callable[[], object] | None] = (frozenset(), None)
        # A new import table is written to the cache when the engine has the time
        # (``keep_table``), not as soon as it is made (``engine.Ahead``'s).
        self.keep_later = False
        self._unkept: tuple[import_table.Start, import_table.ImportTable] | None = None

    @property
    def notes(self) -> list[str]:
        return [note for notes in self.notes_of.values() for note in notes]

    def note(self, path: str, message: str) -> None:
        notes = self.notes_of.setdefault(path, [])
        if message not in notes:
            notes.append(message)

    def text(self, path: str) -> str | None:
        """The file's text, or None when it cannot be read: why is in ``unreadable``
        (a finding), or a note for a binary file no text rule means (source/text.py)."""
        if path not in self._texts:
            self._texts[path] = self._decode(path)
        return self._texts[path]

    def hold(self, read: Mapping[str, bytes]) -> None:
        """Bytes of the snapshot's files read ahead of this view (``engine.Ahead`` reads
        them before it forks: the child and this process then judge the same bytes,
        read once), each decoded when its text is first asked for."""
        self._held = dict(read)

    def _decode(self, path: str) -> str | None:
        data = self._held.pop(path, None)
        if data is None:
            data = self.snapshot.read(path)
        if data is None:
            return None
        decoded = decode(path, data, self.settings.max_file_bytes)
        if isinstance(decoded, Unreadable):
            if decoded.finding:
                self.unreadable[path] = decoded.reason
            else:
                self.note(path, f"skipped {path}: {decoded.reason}")
            return None
        return decoded

    def may_use(self, path: str, words: Iterable[frozenset[str]]) -> bool:
        """Whether the file's text holds every word of one of the sets (``Kind.needles``).
        Each answer is kept: the engine asks before parsing (on a cold run, while the
        tree is scanned: ``engine.Ahead``), then each kind asks again.

        A file whose bytes are held (``hold``) and not yet decoded is looked at as bytes
        first (``text.lacks``): most files lack the words, and are not decoded.
        """
        words = list(words)
        known = [self._mentions.get((path, each)) for each in words]
        if None not in known:  # asked before (the engine asks, then each kind)
            return True in known
        held = self._held.get(path)
        if held is not None and lacks(held, words):
            for each in words:
                self._mentions[(path, each)] = False
            return False
        for each in words:
            key = (path, each)
            found = self._mentions.get(key)
            if found is None:
                text = self.text(path)
                found = text is not None and all(word in text for word in each)
                self._mentions[key] = found
            if found:
                return True
        return False

    def marked_lines(self, path: str) -> list[tuple[int, str]]:
        """The lines of the file that carry a ``charter:`` comment (cached by content)."""
        blob = self.snapshot.content_id(path)
        key = None if blob is None else f"{blob}:{path.endswith(('.py', '.pyi'))}"
        cached = None if key is None else self.cache.results.marked_lines(key)
        if cached is not None:
            return cached
        text = self.text(path)
        lines = marked_lines(path, text or "")
        if key is not None and text is not None:
            self.cache.results.put_marked_lines(key, lines)
        return lines

    def marked(self, paths: Iterable[str]) -> dict[str, list[tuple[int, str]]]:
        """The ``charter:`` lines of each of ``paths`` (what waivers are read from)."""
        return {path: self.marked_lines(path) for path in sorted(set(paths))}

    def facts(self, path: str) -> FileFacts:
        self.parsed.add(path)
        known = self._known_facts(path)
        if known is not None:
            return known
        text = self.text(path)
        module = self.module_of.get(path, "")
        if text is not None:
            facts = extract(text, module, path.endswith("__init__.py"))
        elif path in self.unreadable:
            facts = FileFacts(syntax_error=SyntaxProblem(1, 1, self.unreadable[path], True))
        else:
            facts = FileFacts()
        self._keep_facts(path, facts)
        return facts

    def syntax_error(self, path: str) -> SyntaxProblem | None:
        """The file's syntax error, parsed for nothing else when its facts are not known
        (and not kept as its facts, which it does not hold)."""
        known = self._known_facts(path)
        if known is not None:
            return known.syntax_error
        if path not in self._syntax:
            text = self.text(path)
            self._syntax[path] = None if text is None else syntax_problem(text)
        return self._syntax[path]

    def facts_of(self, paths: Sequence[str]) -> dict[str, FileFacts]:
        """The facts of many files; those not cached are parsed on every core."""
        new = [path for path in paths if self._known_facts(path) is None]
        jobs = [(path, self.text(path)) for path in new]
        texts = [(path, text) for path, text in jobs if text is not None]
        parsed = extract_many(
            [
                (text, self.module_of.get(path, ""), path.endswith("__init__.py"))
                for path, text in texts
            ]
        )
        for (path, _), facts in zip(texts, parsed, strict=True):
            self._keep_facts(path, facts)
        return {path: self.facts(path) for path in paths}

    def _facts_key(self, path: str) -> str | None:
        content_id = self.snapshot.content_id(path)
        return None if content_id is None else f"{content_id}:{self.module_of.get(path, '')}"

    def _known_facts(self, path: str) -> FileFacts | None:
        if path in self._facts:
            return self._facts[path]
        key = self._facts_key(path)
        return None if key is None else self.cache.facts.get(key)

    def learned(self) -> dict[str, Learned]:
        """What this view found in the files whose text it read or whose bytes it tested,
        for another view of the same snapshot (``adopt``; a forked child's:
        ``engine.Ahead``): each file's blob id, its facts if it was parsed, and the
        answers of its word tests."""
        tests: dict[str, list[tuple[frozenset[str], bool]]] = {}
        for (path, words), found in self._mentions.items():
            tests.setdefault(path, []).append((words, found))
        learned: dict[str, Learned] = {}
        for path in {**self._texts, **tests}:
            if path in self._texts and self._texts[path] is None:
                continue  # unreadable: the other view reads it, and says why
            facts = self._facts.get(path)
            data = None if facts is None else facts.to_data()
            syntax = None
            if path in self._syntax:
                error = self._syntax[path]
                syntax = [] if error is None else error.to_data()
            learned[path] = (
                self.snapshot.content_id(path),
                data,
                tuple(tests.get(path, ())),
                syntax,
            )
        return learned

    def learn_later(self, learned: Callable[[], Mapping[str, Learned] | None]) -> None:
        """What another view found, to ``adopt`` when ``settle`` is called (it may wait)."""
        self._later = learned

    def settle(self) -> None:
        """Adopt what ``learn_later`` promised, if anything (before the facts are read)."""
        later, self._later = self._later, None
        found = None if later is None else later()
        if found is not None:
            self.adopt(found)

    def adopt(self, learned: Mapping[str, Learned]) -> None:
        """Take what another view found (``learned``) of each file that holds here the
        bytes it read there (the same blob id); what is known here stays."""
        for path, (content_id, data, tests, syntax) in learned.items():
            if content_id is None or self.snapshot.content_id(path) != content_id:
                continue
            if data is not None and self._known_facts(path) is None:
                self._keep_facts(path, FileFacts.from_data(data))
            if syntax is not None:
                self._syntax.setdefault(path, SyntaxProblem.from_data(syntax) if syntax else None)
            for words, found in tests:
                self._mentions.setdefault((path, words), found)

    def _keep_facts(self, path: str, facts: FileFacts) -> None:
        self._facts[path] = facts
        key = self._facts_key(path)
        if key is not None:
            self.cache.facts.put(key, facts)

    @cached_property
    def table(self) -> import_table.ImportTable:
        """Every module's imports and parse error (cached as one file per snapshot)."""
        begun = self._table_start(self.cache.folder)
        if begun.table is not None:
            return begun.table
        shared, elsewhere = self._shared
        paths = begun.new_paths
        made = self._entries(begun, [path for path in paths if path not in shared])
        if elsewhere is not None:
            made.update(begun.matching(elsewhere()))
        missing = [path for path in paths if self.module_of[path] not in made]
        if missing:  # not made elsewhere (it failed): made here
            made.update(self._entries(begun, missing))
        table = import_table.finish(begun, made, keep=not self.keep_later)
        if self.keep_later:
            self._unkept = (begun, table)
        return table

    def keep_table(self) -> None:
        """Write the import table made with ``keep_later`` to the cache (once)."""
        unkept, self._unkept = self._unkept, None
        if unkept is not None:
            import_table.keep_table(*unkept)

    def _table_start(self, folder: Path | None) -> import_table.Start:
        modules = self.index.modules
        blobs = {module: self.snapshot.content_id(path) or "" for module, path in modules.items()}
        return import_table.start(folder, modules, blobs)

    def _entries(self, begun: import_table.Start, paths: Sequence[str]) -> dict[str, list[Any]]:
        """The new table entries of the modules at ``paths``."""
        return import_table.made(begun, self._import_facts(paths))

    def share(self, paths: Collection[str], made: Callable[[], object]) -> None:
        """Leave the import table's entries of the modules at ``paths`` to another
        process (``engine.Ahead``'s helper: ``made`` waits for its ``table_entries``).
        The table makes its own entries first, then takes those of the same files and
        bytes that ``made`` brings, and makes any others here."""
        self._shared = (frozenset(paths), made)

    def table_entries(self, paths: Sequence[str]) -> dict[str, list[Any]]:
        """The import table's entries (module -> entry) of the modules at ``paths``,
        made in this process for another one's table (``share``)."""
        return self._entries(self._table_start(None), paths)

    def _import_facts(self, paths: Sequence[str]) -> dict[str, FileFacts]:
        """Facts with the imports of many files: located natively where grimp can
        (``source/native.py``), parsed by ``ast`` otherwise: a commit's few files for their
        imports alone (``facts.imports_of``), many on every core (``facts_of``). Facts
        without uses are not kept as the files' facts."""
        jobs = {}
        for path in paths:
            text = None if self._known_facts(path) is not None else self.text(path)
            if text is not None:
                module = self.module_of.get(path, "")
                jobs[path] = native.Job(module, path.endswith("__init__.py"), text)
        if self.scanning is not None:
            self.scanning()
        found = native.scan(jobs, self.scanned)
        left = [path for path in paths if path not in found]
        rest = self.facts_of(left) if len(left) >= MIN_FILES else self._imports_of(left)
        return {path: FileFacts(found[path]) if path in found else rest[path] for path in paths}

    def _imports_of(self, paths: Sequence[str]) -> dict[str, FileFacts]:
        """Each file's known facts, or its imports alone, parsed here (not kept)."""
        found = {}
        for path in paths:
            known = self._known_facts(path)
            if known is None:
                text = self.text(path)
                if text is None:
                    known = self.facts(path)  # unreadable (or gone): what ``facts`` says
                else:
                    module = self.module_of.get(path, "")
                    known = imports_of(text, module, path.endswith("__init__.py"))
            found[path] = known
        return found

    @cached_property
    def graph(self) -> ImportGraph:
        return ImportGraph(self.index.modules, self.table.imports())

    def in_scope(self, active: ActiveConstraint) -> list[str]:
        """The files a constraint governs: decision scope, then its paths and exclude.

        Constraints with the same three glob lists share one answer (most have none).
        """
        key = _scope_key(active)
        found = self._in_scope.get(key)
        if found is None:
            if not any(key):
                found = self.files
            else:
                covered = governs(active)
                found = [path for path in self.files if covered(path)]
            self._in_scope[key] = found
        return list(found)

    def python_in_scope(self, active: ActiveConstraint) -> list[str]:
        """``in_scope``'s Python files (``.py``, ``.pyi``): what a kind that reads only
        Python judges. Kept per scope, as ``in_scope`` is: the engine asks for each
        constraint three times (its cache keys, its check, the syntax errors)."""
        key = _scope_key(active)
        found = self._python_in_scope.get(key)
        if found is None:
            found = [p for p in self.in_scope(active) if p.endswith((".py", ".pyi"))]
            self._python_in_scope[key] = found
        return list(found)


def _scope_key(active: ActiveConstraint) -> tuple[tuple[str, ...], ...]:
    """What decides a constraint's files: its decision's scope, its paths and exclude."""
    return (active.scope, active.constraint.paths, active.constraint.exclude)


Scoped = tuple[list[str], ModuleIndex, dict[str, str]]
_LAST: dict[tuple[object, ...], Scoped] = {}


def _scoped(files: list[str], settings: Settings, cache: Cache) -> Scoped:
    """The files Charter reads (``exclude`` applied), the module index and each module's
    file. The last answer is kept in memory (the Claude hook and the MCP server judge a
    tree and the same tree with an edit, whose files are the same; the answer is never
    changed in place: ``SnapshotView`` only reads it), and on disk by a digest of what
    it depends on (a hook's files are those of the last run nearly always)."""
    packages = tuple(sorted(settings.packages.items()))
    key: tuple[object, ...] = (tuple(files), settings.exclude, settings.source_roots)
    key += (packages, settings.namespace_packages)
    found = _LAST.get(key)
    if found is None:
        digest = digests.blake2b("\0".join(files).encode("utf-8", "surrogateescape"))
        digest.update(repr(key[1:]).encode("utf-8", "surrogateescape"))
        stored_key = digest.hexdigest()
        stored = cache.modules.get(stored_key)
        if isinstance(stored, tuple) and len(stored) == 2:
            kept, modules = stored
        else:
            exclude = GlobSet(settings.exclude)
            kept = [p for p in files if not exclude.match(p)]
            modules = build_index(
                kept, settings.source_roots, settings.packages, settings.namespace_packages
            ).modules
            cache.modules.put(stored_key, (kept, modules))
        found = (kept, ModuleIndex(modules), {path: m for m, path in modules.items()})
        _LAST.clear()
        _LAST[key] = found
    return found
