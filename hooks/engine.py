"""Run the constraints in force on a snapshot: files -> facts -> findings.

Each kind (``charter.hooks.kinds.KINDS``) judges the paths the engine gives it on the
snapshot's ``SnapshotView``. What was found before is reused, keyed by everything it
depends on (``source/results.py``), as the kind's ``reads`` allows:

- kinds that read each file on its own (``Reads.per_file``) keep a file's findings while
  its blob id, path and module are unchanged; only new content is read;
- import-graph kinds keep their findings while the import table (every module's path
  and imports) is the same;
- ``python`` plugins may look at anything: they run every time.

Kinds that judge a change, not a snapshot, are run by the commit-msg hook.
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from charter.hooks import __version__
from charter.hooks.constraint.active import ActiveConstraint
from charter.hooks.errors import CharterError
from charter.hooks.findings import Finding, number_occurrences
from charter.hooks.kinds import KINDS, Reads
from charter.hooks.settings import Settings
from charter.hooks.source.batch import MIN_FILES
from charter.hooks.source.cache import Cache, ensure_folder
from charter.hooks.source.facts import SyntaxProblem
from charter.hooks.source.results import digest
from charter.hooks.source.snapshot import Snapshot
from charter.hooks.view import Learned, SnapshotView

if TYPE_CHECKING:
    from charter.hooks.decisions import forked

UNPARSED = frozenset({"syntax-error", "unreadable"})  # one finding per file, from the engine
# The most Python files a forked child tests for the per-file kinds' words (``Ahead``; a
# module's bytes were read before the fork, other files are read again): Django's 879
# cost it ~30 ms of CPU and move ~80 ms of parsing off this process; the bench's
# generated tree's 11,106 would cost several times that for the same.
CHILD_READS = 2_500
# The fewest modules of a new import table whose scan is shared with a forked helper
# (``_table_helper``): on the bench's generated tree (11,106) it saves ~0.6 s of ~3 s.
SPLIT_AT = 4_000
# How long the helper's half is waited for, at most, once this process has made its own:
# this many times as long as that took, and this many seconds at least.
HELPER_WAIT = 4


def run(
    snapshot: Snapshot,
    active: Sequence[ActiveConstraint],
    settings: Settings,
    cache: Cache,
    view: SnapshotView | None = None,
    save: bool = True,
) -> tuple[list[Finding], SnapshotView]:
    """All findings of the constraints in force, and the view they were found in (``view``:
    the snapshot's, built beforehand with the same settings and cache by ``Ahead``).
    ``save=False``: the caller writes the cache back once, when it has done its part."""
    view = view or SnapshotView(snapshot, settings, cache)
    findings = _judged(active, view)
    if save:
        cache.save()
    return number_occurrences(findings), view


def run_beneath(
    base: Snapshot,
    changed: Collection[str],
    active: Sequence[ActiveConstraint],
    view: SnapshotView,
    found: Sequence[Finding],
) -> list[Finding]:
    """The findings of ``base``, given those ``found`` in ``view``: the view of ``base``
    with the files ``changed`` replaced (an agent's edit).

    When no file was added or removed, a file the change leaves alone has the same
    content and module in both, hence the same findings of every kind that reads files
    one at a time (and the same syntax error): those are taken from ``found``, and only
    the changed files, the import graph and the ``python`` checks are judged on
    ``base``. Otherwise (the modules may differ) ``base`` is judged whole.
    """
    settings, cache = view.settings, view.cache
    beneath = SnapshotView(base, settings, cache)
    if beneath.files != view.files:
        return run(base, active, settings, cache, beneath)[0]
    per_file = _by_reads(active)[0]
    kept_ids = {a.id for a in per_file} | {f"charter/{kind}" for kind in UNPARSED}
    kept = [f for f in found if f.path not in changed and f.constraint in kept_ids]
    fresh = _judged(active, beneath, changed)
    cache.save()
    # An unchanged file's syntax error is in ``kept`` already, found the same way.
    fresh = [f for f in fresh if f.path in changed or f.kind not in UNPARSED]
    return kept + number_occurrences(fresh)


def _judged(
    active: Sequence[ActiveConstraint], view: SnapshotView, only: Collection[str] | None = None
) -> list[Finding]:
    """Every kind's findings in ``view`` (the per-file kinds' on the paths in ``only``,
    when given), one syntax error per file, not yet numbered."""
    per_file, graph, other = _by_reads(active)
    # The import rules first (in a forked process on a large tree, while this one judges
    # the rest): what a forked child found for the per-file kinds may still be on its way
    # (``Ahead``), and is taken only now.
    elsewhere = _graph_elsewhere(graph, view)
    graph_findings = _graph_findings(graph, view) if elsewhere is None else []
    view.settle()
    file_findings = _file_findings(per_file, view, only)
    other_findings = list(_check(other, view))
    # A new import table is written now: while the import rules' child judges, if any.
    view.keep_table()
    if elsewhere is not None:
        graph_findings = elsewhere()
    findings = [*file_findings, *graph_findings, *other_findings]
    return _one_syntax_error_per_file(findings, view, with_table=bool(graph))


def _by_reads(
    active: Sequence[ActiveConstraint],
) -> tuple[list[ActiveConstraint], list[ActiveConstraint], list[ActiveConstraint]]:
    """The constraints whose kinds read one file at a time, the import graph, anything."""
    reads = {a.id: KINDS[a.kind].reads for a in active}
    per_file = [a for a in active if reads[a.id].per_file]
    graph = [a for a in active if reads[a.id] is Reads.IMPORT_GRAPH]
    other = [a for a in active if reads[a.id] is Reads.ANYTHING]
    return per_file, graph, other


_KIND_NAMED = re.compile(rb"""\bkind['"]?\s*:\s*['"]?([\w-]+)""")


class Ahead:
    """A snapshot's view, and its import table, built on a thread while the decision
    records are validated (``start``); ``view()`` waits for it. It is the work beside
    the validation (``compile.Beside``).

    On a fresh clone both are needed and neither needs the other. The records are
    validated in a forked child where one can be (``decisions/forked.py``: PyYAML never
    loads here), else on the calling thread (Python holding the GIL, while listing the
    files and grimp's Rust scan mostly wait on git or run without it). The table is
    built only when a decision file names a kind that reads it (a guess from the text: a
    wrong one costs time, never a finding).

    The few files whose facts the per-file kinds read (``banned-api``'s, ``ast`` in
    Python) are parsed by the child once it has validated the records and this process's
    grimp scan is done (``in_child``, ``_after_scan``): the tree is listed before the
    fork, so the child judges the same files. Parsed here, their ~60-90 ms of Python
    held the GIL beside the thread's own Python (reading the texts, grimp's answer, the
    read-back) on the path to the table. The child hands the records over first: the
    import rules are judged with them while it parses, and its facts are taken only
    when the per-file kinds read them (``SnapshotView.settle``). Without a child,
    ``view(active)`` parses them here while the thread scans. A failure is dropped:
    ``view()`` builds the view again on the calling thread, where it is raised; a file
    whose bytes are not those the child read, or that the child's lost answer never
    brought, is parsed here.

    On a large fresh tree a second forked process, the helper (``_table_helper``), reads
    and scans every other module, and once the constraints are known (``view`` asks it)
    tests those modules for the per-file kinds' words: this process never reads them.
    What it found is taken as the child's is, and on the same terms.
    """

    def __init__(self, snapshot: Snapshot, settings: Settings, cache: Cache) -> None:
        self._args = (snapshot, settings, cache)
        self._thread: threading.Thread | None = None
        # Set once the thread's view exists and has read the texts its table needs (or
        # once it failed): from then on the thread mostly waits on grimp's scan.
        self._scanning = threading.Event()
        self._listing: SnapshotView | None = None  # the view, its table not yet built
        self._built: SnapshotView | None = None
        # What the child found, once asked for (it waits for the child's end).
        self._answer: Callable[[], object] | None = None
        self._found: Mapping[str, Learned] | None = None
        # The child's parse waits until grimp's scan is done (``_after_scan``): a pipe's
        # ends, (read, write) until each is closed.
        self._gate: list[int | None] = [None, None]
        self._read: dict[str, bytes] = {}  # the modules' bytes, read before the fork
        # A forked process making the table entries of half the modules (``_table_helper``):
        # the entries are asked for by the table; the word tests of its modules, asked of
        # it once the constraints are known (``view``), when the per-file kinds read them.
        self._helper: _Helper | None = None
        self._helper_tests: _Helper | None = None

    def __enter__(self) -> Ahead:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        # The scan silences file descriptor 2 while grimp runs: an error of the decisions
        # is printed only after it is done.
        helper = self._helper or self._helper_tests
        if helper is not None:
            helper.ask(None)  # a helper still waiting for the words waits no longer
        if self._thread is not None:
            self._thread.join()
        if helper is not None and (self._helper is not None or not helper.asked):
            # Nobody asked for its entries, or for its tests (those asked for are taken
            # when the per-file kinds read them: ``_learned``).
            helper.child.abandon()

    def before_fork(self) -> None:
        """The tree listed before the child is forked: it reads the files listed here.
        grimp, when the table will be scanned, is imported first, while git lists. The
        files' scope and module index are worked out here once, for the child's view and
        the thread's (``view._scoped`` keeps the last), not in each (~10-20 ms)."""
        snapshot, settings, cache = self._args
        fresh = self._scans and _scanner_for(cache)
        with contextlib.suppress(CharterError, OSError):
            view = SnapshotView(snapshot, settings, cache)
            if fresh:
                self._helper = self._helper_tests = _table_helper(view)
                # Every module's bytes (but the helper's, which it reads), read once
                # (hashed where git's listing does not name them: ``WorkTree.read``) for
                # the thread's table and the child's word tests, which look at the bytes
                # without decoding most.
                helped = frozenset(() if self._helper is None else self._helper.paths)
                modules = view.index.modules.values()
                self._read = _read(snapshot, [path for path in modules if path not in helped])
        if self._scans:
            with contextlib.suppress(OSError):
                self._gate = list(os.pipe())

    def in_child(self, active: list[ActiveConstraint]) -> Callable[[], object] | None:
        """In the child: the work whose answer is the word tests of the files the
        per-file kinds judge, and the facts of those they will read when there are few
        (many wait for the pool), with the syntax of those no kind parses. None (no
        work) when they judge more than ``CHILD_READS`` Python files: the child tests
        each file's bytes again, which on a large tree costs more CPU than the parse of
        the few files it moves off this process."""
        snapshot, settings, _ = self._args
        view = SnapshotView(snapshot, settings, Cache(None))  # the child writes no cache
        view.hold(self._read)
        per_file = [a for a in _by_reads(active)[0] if KINDS[a.kind].reads.python_only]
        if len({path for a in per_file for path in judged_paths(a, view)}) > CHILD_READS:
            return None

        def work() -> object:
            paths = _facts_wanted(active, view)
            if len(paths) < MIN_FILES:
                self._after_scan()
                view.facts_of(paths)
                # The files no kind parses (migrations: not modules, so not in the
                # table) are parsed here for their syntax: ~20 ms of Django's run.
                for path in _unparsed(per_file, view, frozenset(view.files))[0]:
                    view.syntax_error(path)
            return view.learned()

        return work

    def _after_scan(self) -> None:
        """In the child: wait until the parent's grimp scan is done (``_open_gate``).

        The scan keeps both cores busy; a parse beside it slowed it by as much as it
        took, on the path to the table. Once the scan is done, this process has Python
        alone to run (the read-back, the table), and the parse takes the other core.
        """
        read, write = self._gate
        if read is None:
            return
        if write is not None:
            os.close(write)  # the parent's copy alone opens the gate
        with contextlib.suppress(OSError):
            os.read(read, 1)  # a byte, or the end: the parent is done scanning or gone

    def _open_gate(self) -> None:
        """Let the child parse: grimp's scan is done, or will not run. Called by
        ``start`` when no thread will scan, else on the thread only (once the scan is
        done, and when it ends): a second call does nothing."""
        read, write = self._gate
        self._gate = [None, None]
        if write is not None:
            with contextlib.suppress(OSError):
                os.write(write, b"!")  # seen even if a forked process holds a copy
            os.close(write)
        if read is not None:
            os.close(read)

    def receive(self, answer: Callable[[], object]) -> None:
        self._answer = answer

    @functools.cached_property
    def _scans(self) -> bool:
        """Whether the thread will build the import table (read once: it reads every
        decision file)."""
        return _names_table_kinds(self._args[1])

    def start(self) -> None:
        cache = self._args[2]
        if self._gate[0] is not None:
            os.close(self._gate[0])  # the child's end
            self._gate[0] = None
        if not self._scans:
            self._open_gate()
            return
        if cache.folder is not None:
            # Made here, with its .gitignore, so that the thread's listing never sees a
            # half-made cache folder and the two threads never make it at once.
            with contextlib.suppress(CharterError, OSError):
                ensure_folder(cache.folder)
        # Read before two threads can ask for it first (both would read it; one answer,
        # with what was put in it meanwhile, would be lost).
        cache.facts.preload()
        self._thread = threading.Thread(target=self._build, name="charter-ahead", daemon=True)
        self._thread.start()

    @property
    def scanning(self) -> bool:
        """Whether a thread builds the view (and uses the cache) until ``view()`` is done."""
        return self._thread is not None

    def _build(self) -> None:
        try:
            _scanner_for(self._args[2])  # while git lists, unless before_fork did
            view = self._listing = SnapshotView(*self._args)
            # Handed over: the view drops each module's bytes once it has decoded them.
            view.hold(self._read)
            self._read = {}
            if self._helper is not None:
                view.share(self._helper.paths, self._helper_entries)
            view.scanning = self._scanning.set
            view.scanned = self._open_gate
            view.keep_later = True  # written by ``_judged``, beside the import rules
            view.table  # noqa: B018 - built now, on this thread
            self._built = view
        except Exception:  # raised again by view(), on the calling thread
            return
        finally:
            self._scanning.set()
            self._open_gate()

    def _helper_entries(self) -> object:
        """The helper's table entries, waited for (None: it failed, or has not answered
        in ``HELPER_WAIT`` times the time this process took for its own half, and at
        least ``HELPER_WAIT`` seconds: it is stopped, and its half made here)."""
        assert self._helper is not None
        helper, self._helper = self._helper, None
        took = time.monotonic() - helper.forked_at
        return _loads(helper.child.result(timeout=HELPER_WAIT * max(took, 1.0)))

    def view(
        self,
        active: Sequence[ActiveConstraint] = (),
        meanwhile: Callable[[], None] | None = None,
    ) -> SnapshotView:
        """The view, once the thread is done; with the constraints in force (``active``),
        the facts their per-file kinds read are parsed here meanwhile. ``meanwhile`` runs
        first: while git lists the files (a warm run, no thread), or while grimp scans on
        the thread (a cold one: ``scanning``)."""
        if self._thread is not None:
            # Its Python (listing, reading the texts) is on the path to the table: this
            # thread's waits until grimp scans without the GIL.
            self._scanning.wait()
        helped = self._ask_helper(active)
        if meanwhile is not None:
            meanwhile()
        if self._thread is not None:
            if self._listing is not None and active and self._answer is None:
                with contextlib.suppress(Exception):
                    _facts_ahead(active, self._listing, helped)
            self._thread.join()
        view = self._built or SnapshotView(*self._args)
        if self._answer is not None or self._helper_tests is not None:
            # Taken when the per-file kinds read it (``SnapshotView.settle``): the
            # import rules are judged meanwhile, while the child parses.
            view.learn_later(self._learned)
        return view

    def _ask_helper(self, active: Sequence[ActiveConstraint]) -> frozenset[str]:
        """Ask the helper for the word tests of its modules (and the facts of the few
        that hold the words), the per-file kinds' words being known: the paths whose
        tests it will bring (none: it is not asked; each is then tested here)."""
        helper = self._helper_tests
        if helper is None:
            return frozenset()
        per_file = _by_reads(active)[0]
        words = None if self._listing is None else _words(per_file, self._listing)
        if not words:
            helper.ask(None)
            self._helper_tests = None
            return frozenset()
        parse = any(KINDS[a.kind].reads is Reads.PYTHON_FACTS for a in per_file)
        helper.ask((words, parse))
        if not helper.asked:
            self._helper_tests = None
            return frozenset()
        return frozenset(helper.paths)

    def _learned(self) -> Mapping[str, Learned] | None:
        """What the child and the helper found (None: nothing), waited for once."""
        answer, self._answer = self._answer, None
        helper, self._helper_tests = self._helper_tests, None
        found = None if answer is None else answer()
        tests = None if helper is None else _loads(helper.child.rest(timeout=HELPER_WAIT))
        if isinstance(found, dict) or isinstance(tests, dict):
            self._found = {
                **(tests if isinstance(tests, dict) else {}),
                **(found if isinstance(found, dict) else {}),
            }
        return self._found


def _names_table_kinds(settings: Settings) -> bool:
    """Whether a decision file names a kind that reads the import table."""
    folder = settings.root / settings.decisions
    try:
        texts = [path.read_bytes() for path in folder.rglob("*.md")]
    except OSError:
        return False
    named = {m.group(1).decode() for text in texts for m in _KIND_NAMED.finditer(text)}
    table = (Reads.IMPORT_GRAPH, Reads.PYTHON_FACTS)
    return any((kind := KINDS.get(name)) is not None and kind.reads in table for name in named)


def cacheable(active: Iterable[ActiveConstraint]) -> bool:
    """Whether the findings are a function of the snapshot's content alone."""
    return all(KINDS[a.kind].reads.cacheable for a in active)


def describe(active: Iterable[ActiveConstraint]) -> tuple[object, ...]:
    """Everything about the constraints that their findings depend on, as plain values."""
    return tuple(
        (a.id, a.kind, a.severity, a.decision, a.source, a.scope, _fields(a)) for a in active
    )


def _fields(active: ActiveConstraint) -> list[tuple[str, object]]:
    return sorted(vars(active.constraint).items())


def tool_versions(active: Iterable[ActiveConstraint]) -> tuple[str, ...]:
    """Versions of outside tools whose findings are cached (ruff)."""
    tools = sorted({tool for a in active if (tool := KINDS[a.kind].tool) is not None})
    if not tools:
        return ()
    from importlib import metadata

    versions = []
    for tool in tools:
        try:
            versions.append(metadata.version(tool))
        except metadata.PackageNotFoundError:  # pragma: no cover - a dependency
            versions.append(tool)
    return tuple(versions)


def judged_paths(active: ActiveConstraint, view: SnapshotView) -> list[str]:
    """The paths a constraint judges: those in its scope it can read."""
    if KINDS[active.kind].reads.python_only:
        return view.python_in_scope(active)
    return view.in_scope(active)


def _check(
    active: Iterable[ActiveConstraint],
    view: SnapshotView,
    only: Collection[str] | None = None,
) -> Iterator[Finding]:
    """Findings of snapshot kinds on their paths (on those in ``only``, when given)."""
    for constraint in active:
        check = KINDS[constraint.kind].check
        if check is None:
            continue
        paths = judged_paths(constraint, view)
        if only is not None:
            paths = [p for p in paths if p in only]
        yield from check(constraint, view, paths)


def _file_findings(
    active: Sequence[ActiveConstraint],
    view: SnapshotView,
    only: Collection[str] | None = None,
) -> list[Finding]:
    """Findings of per-file kinds (on the paths in ``only``, when given): cached ones per
    file, the others computed now."""
    if not active:
        return []
    results = view.cache.results
    found: list[Finding] = []
    missing: dict[str, str | None] = {}  # path -> its cache key (None: cannot be cached)
    for path, key in _result_keys(active, view, only).items():
        cached = None if key is None else results.findings(key)
        if cached is None or key is None:
            missing[path] = key
            continue
        found.extend(cached)
        for note in results.notes(key):
            view.note(path, note)
    if not missing:
        return found
    # Parse them all at once, on every core (those a kind will read).
    view.facts_of(_to_parse(active, view, missing))
    fresh = [
        *_check(active, view, set(missing)),
        *_syntax_errors(view, sorted(view.parsed | set(view.unreadable))),
    ]
    fresh += _unparsed_syntax_errors(active, view, set(missing), fresh)
    by_path: defaultdict[str, list[Finding]] = defaultdict(list)
    for item in fresh:
        by_path[item.path].append(item)
    for path, key in missing.items():
        if key is not None:
            results.put_findings(key, by_path.get(path, ()), view.notes_of.get(path, ()))
    return found + fresh


def _result_keys(
    active: Sequence[ActiveConstraint], view: SnapshotView, only: Collection[str] | None
) -> dict[str, str | None]:
    """Each judged path (in ``only``, when given), in order, and the key of its cached
    findings (None: they cannot be cached)."""
    first_party = sorted(view.index.top_level)
    stamp = digest(__version__, describe(active), tool_versions(active), first_party)
    paths = {path for constraint in active for path in judged_paths(constraint, view)}
    if only is not None:
        paths &= set(only)
    keys: dict[str, str | None] = {}
    for path in sorted(paths):
        blob = view.snapshot.content_id(path)
        module = view.module_of.get(path, "")
        keys[path] = None if blob is None else f"{stamp}:{path}:{blob}:{module}"
    return keys


def _to_parse(
    active: Sequence[ActiveConstraint], view: SnapshotView, missing: Iterable[str]
) -> list[str]:
    """The files among ``missing`` whose facts a kind will read."""
    if not any(KINDS[a.kind].reads is Reads.PYTHON_FACTS for a in active):
        return []
    needs = _needs_facts(active, view)
    return [path for path in missing if needs(path)]


def _facts_ahead(
    active: Sequence[ActiveConstraint], view: SnapshotView, helped: Collection[str] = ()
) -> None:
    """Parse now the files whose findings ``_file_findings`` will compute and whose facts
    a kind reads, when there are few (``Ahead.view``: Python's ``ast``, while grimp's
    scan on the other thread runs without the GIL). Many files wait for the thread:
    they are parsed by a pool of processes, which must not fork beside a thread. The
    files in ``helped`` are tested (and parsed) by the table's helper."""
    paths = _facts_wanted(active, view, helped)
    if len(paths) < MIN_FILES:
        view.facts_of(paths)


def _facts_wanted(
    active: Sequence[ActiveConstraint], view: SnapshotView, skip: Collection[str] = ()
) -> list[str]:
    """The files (but those in ``skip``) whose findings ``_file_findings`` will compute
    (not in the results cache) and whose facts a per-file kind reads."""
    per_file = _by_reads(active)[0]
    results = view.cache.results
    keys = _result_keys(per_file, view, None)
    missing = [
        path
        for path, key in keys.items()
        if path not in skip and (key is None or results.findings(key) is None)
    ]
    return _to_parse(per_file, view, missing)


def _scanner_for(cache: Cache) -> bool:
    """grimp's scanner imported (~40 ms of Python) when a table will be made from
    scratch (none is kept to start from): before git's listing is waited for. Whether
    one will."""
    from charter.hooks.source import native
    from charter.hooks.source import table as import_table

    if import_table.kept(cache.folder):
        return False
    native.available()
    return True


class _Helper:
    """A forked process making the table entries of the modules at ``paths``, then,
    once asked (``ask``), their word tests: ``_table_helper``."""

    def __init__(self, paths: list[str], child: forked.Child, asking: int) -> None:
        self.paths = paths
        self.child = child
        self.forked_at = time.monotonic()
        self._asking: int | None = asking  # the pipe's end the words are written to
        self.asked = False  # whether words were handed over

    def ask(self, question: tuple[list[frozenset[str]], bool] | None) -> None:
        """Hand the helper the per-file kinds' words, and whether a kind parses the files
        that hold them; None: nothing is asked (it then only ends). Once."""
        asking, self._asking = self._asking, None
        if asking is None:
            return
        data = b"" if question is None else marshal.dumps(question)
        if len(data) > _PIPE_HOLDS - _SIZE:
            data = b""  # too many words to write whole now, whatever the helper does
        # Its length first: the helper reads the question without waiting for the pipe
        # to end, which only happens once every process forked since has closed it too.
        with contextlib.suppress(OSError):
            written = os.write(asking, len(data).to_bytes(_SIZE, "big") + data)
            self.asked = bool(data) and written == _SIZE + len(data)
        os.close(asking)


# What a pipe holds before a write waits for its reader (Linux's least: one page), and
# the bytes that give the question's length.
_PIPE_HOLDS = 4096
_SIZE = 4


def _table_helper(view: SnapshotView) -> _Helper | None:
    """Half the modules' import table entries made in a forked process, while the
    thread makes the others' (``SnapshotView.share``), when there are ``SPLIT_AT`` or
    more: grimp's scan holds the GIL for most of its time (it builds a Python object
    of each import it finds), and so does the read-back of what it found.

    The helper reads its modules itself. Once it has made their entries, it waits for
    the per-file kinds' words (``Ahead.view`` asks, the constraints being known), tests
    its modules for them and parses the few that hold them, and hands that over as the
    decisions' child does (``SnapshotView.learned``): this process then neither reads
    nor tests those files."""
    from charter.hooks.decisions import forked  # a cold run's only: not on a hook's path

    paths = list(view.index.modules.values())
    if len(paths) < SPLIT_AT:
        return None
    share = paths[::2]
    asked, asking = os.pipe()
    made: list[SnapshotView] = []

    def entries() -> bytes:
        os.close(asking)
        helper = SnapshotView(view.snapshot, view.settings, Cache(None))  # no cache written
        made.append(helper)
        return marshal.dumps(helper.table_entries(share))

    def tests() -> bytes:
        question = _question(asked)
        if question is None:
            return marshal.dumps(None)
        words, parse = question
        helper = made[0]
        holding = [path for path in share if helper.may_use(path, words)]
        if parse and len(holding) < MIN_FILES:
            helper.facts_of(holding)
        return marshal.dumps(helper.learned())

    child = forked.start(entries, then=tests, native=True)
    os.close(asked)
    if child is None:
        os.close(asking)
        return None
    return _Helper(share, child, asking)


def _question(asked: int) -> tuple[list[frozenset[str]], bool] | None:
    """In the helper: what ``_Helper.ask`` wrote (None: nothing, or the pipe ended)."""
    from charter.hooks.decisions.forked import read_exactly

    size = read_exactly(asked, _SIZE)
    question = None if size is None else _loads(read_exactly(asked, int.from_bytes(size, "big")))
    if not (isinstance(question, tuple) and len(question) == 2):
        return None
    words, parse = question
    if not (isinstance(words, list) and all(isinstance(each, frozenset) for each in words)):
        return None
    return words, bool(parse)


def _loads(data: bytes | None) -> object:
    """What a forked process marshalled (None: nothing, or not marshal's bytes)."""
    try:
        return None if not data else marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None


def _read(snapshot: Snapshot, paths: Iterable[str]) -> dict[str, bytes]:
    """The bytes of each of ``paths`` that can be read (the others are read again when
    their text is asked for, and say why they cannot be)."""
    return {path: data for path in paths if (data := snapshot.read(path)) is not None}


def _needs_facts(active: Sequence[ActiveConstraint], view: SnapshotView) -> Callable[[str], bool]:
    """Whether a kind will read a file's facts (a kind with ``needles`` skips files
    that cannot mention what it looks for; their syntax errors come from the import
    table, or from a parse alone: ``_unparsed_syntax_errors``)."""
    words = _words(active, view)

    def needs(path: str) -> bool:
        if not path.endswith((".py", ".pyi")):
            return False
        return words is None or view.may_use(path, words)

    return needs


def _words(active: Sequence[ActiveConstraint], view: SnapshotView) -> list[frozenset[str]] | None:
    """The sets of words a file must hold all of one of for a per-file kind to read its
    facts (``Kind.needles``); None: a kind reads every module's."""
    python_facts = [KINDS[a.kind] for a in active if KINDS[a.kind].reads is Reads.PYTHON_FACTS]
    if any(kind.needles is None for kind in python_facts):
        return None
    first_party = view.index.top_level
    return [w for a in active for w in _needles(a, first_party)]


def _needles(active: ActiveConstraint, first_party: frozenset[str]) -> list[frozenset[str]]:
    needles = KINDS[active.kind].needles
    return [] if needles is None else needles(active, first_party)


def _unparsed_syntax_errors(
    active: Sequence[ActiveConstraint],
    view: SnapshotView,
    missing: Collection[str],
    found: Sequence[Finding],
) -> Iterator[Finding]:
    """Syntax errors of the Python files no kind needed to parse (among the files judged
    now), so that skipping a parse never hides a broken file: a module's from the import
    table (read natively), another file's (a migration, a script) from a parse alone."""
    reported = {f.path for f in found if f.kind == "syntax-error"}
    alone, modules = _unparsed(active, view, missing, reported)
    for path in alone:
        error = view.syntax_error(path)
        if error is not None:
            yield _syntax_error(path, error, view.settings)
    if not modules:
        return
    for path, error in view.table.errors():
        if path in modules:
            yield _syntax_error(path, error, view.settings)


def _unparsed(
    active: Sequence[ActiveConstraint],
    view: SnapshotView,
    missing: Collection[str],
    reported: Collection[str] = (),
) -> tuple[list[str], set[str]]:
    """The Python files among ``missing`` that a per-file kind judges but no kind parsed:
    those to parse for their syntax alone (sorted), and the modules (the import table
    has their syntax)."""
    candidates = {
        path
        for a in active
        if KINDS[a.kind].reads is Reads.PYTHON_FACTS
        for path in judged_paths(a, view)
        if path in missing
        and path.endswith((".py", ".pyi"))
        and path not in view.parsed
        and path not in reported
    }
    modules = {path for path in candidates if path in view.module_of}
    return sorted(candidates - modules), modules


def _graph_elsewhere(
    active: Sequence[ActiveConstraint], view: SnapshotView
) -> Callable[[], list[Finding]] | None:
    """The import rules' findings, judged in a forked process while this one judges the
    other kinds, when the tree has ``SPLIT_AT`` modules or more: the function that waits
    for them and keeps them as ``_graph_findings`` does (None: they are judged here, by
    ``_graph_findings``: a smaller tree, findings kept, or no fork).

    On the bench's generated tree (11,106 modules) the import rules take ~100 ms, the
    per-file kinds ~50 ms, one after the other; the child pays for its pages (each one
    it writes is copied): ~20 ms saved. A child that fails leaves them to this process.
    """
    if not active or len(view.index.modules) < SPLIT_AT:
        return None
    key = _graph_key(active, view)
    if view.cache.results.findings(key) is not None:
        return None
    from charter.hooks.decisions import forked
    from charter.hooks.source.results import from_row, to_row

    def work() -> bytes:
        found = [to_row(item) for item in _check(active, view)]
        return marshal.dumps((found, view.notes_of, view.unreadable))

    child = forked.start(work)
    if child is None:
        return None

    def findings() -> list[Finding]:
        answer = _loads(child.result())
        if not (isinstance(answer, tuple) and len(answer) == 3):
            return _graph_findings(active, view)  # it failed: judged here
        rows, notes, unreadable = answer
        fresh = [from_row(row) for row in rows]
        for path, items in notes.items():
            for note in items:
                if note not in view.notes_of.get(path, ()):
                    view.note(path, note)
        for path, reason in unreadable.items():
            view.unreadable.setdefault(path, reason)
        view.cache.results.put_findings(key, fresh)
        return fresh

    return findings


def _graph_key(active: Sequence[ActiveConstraint], view: SnapshotView) -> str:
    return "graph:" + digest(__version__, describe(active), view.table.digest)


def _graph_findings(active: Sequence[ActiveConstraint], view: SnapshotView) -> list[Finding]:
    """Findings of the import rules, reused while the import table is the same."""
    if not active:
        return []
    key = _graph_key(active, view)
    cached = view.cache.results.findings(key)
    if cached is not None:
        return cached
    fresh = list(_check(active, view))
    view.cache.results.put_findings(key, fresh)
    return fresh


def _one_syntax_error_per_file(
    findings: list[Finding], view: SnapshotView, with_table: bool
) -> list[Finding]:
    """A file that does not parse is a finding of its own, once per file."""
    errors = {f.path: f for f in findings if f.kind in UNPARSED}
    kept = [f for f in findings if f.kind not in UNPARSED]
    for item in _syntax_errors(view, sorted(view.parsed | set(view.unreadable))):
        errors.setdefault(item.path, item)
    if with_table:
        for path, error in view.table.errors():
            errors.setdefault(path, _syntax_error(path, error, view.settings))
    return kept + [errors[path] for path in sorted(errors)]


def _syntax_errors(view: SnapshotView, paths: Iterable[str]) -> Iterator[Finding]:
    for path in paths:
        error = view.facts(path).syntax_error
        if error is not None:
            yield _syntax_error(path, error, view.settings)


def _syntax_error(path: str, error: SyntaxProblem, settings: Settings) -> Finding:
    if error.unreadable:
        return Finding(
            decision="charter",
            constraint="charter/unreadable",
            kind="unreadable",
            path=path,
            line=1,
            col=1,
            message=error.message,
            key="unreadable",
            severity="error" if settings.unreadable == "error" else "warning",
            remedy="Charter could not read this file, so no rule checked it.",
        )
    return Finding(
        decision="charter",
        constraint="charter/syntax-error",
        kind="syntax-error",
        path=path,
        line=error.line,
        col=error.col,
        message=f"cannot parse: {error.message}; other files were still checked",
        key="syntax-error",
        remedy="Fix the syntax error so Charter can check this file's imports.",
    )
