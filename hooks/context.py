"""What every constraint kind receives: the ``Context`` of one snapshot.

The snapshot's files (config ``exclude`` applied), their text and facts (cached by
content), the module index and the import graph (built once, on first use); and
``finding()``, which builds a finding with the decision's message and remedy.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property

from charter.hooks.decisions.active import ActiveConstraint
from charter.hooks.findings import Finding
from charter.hooks.globs import GlobSet
from charter.hooks.settings import Settings
from charter.hooks.source.cache import FactsCache
from charter.hooks.source.facts import FileFacts, extract
from charter.hooks.source.graph import ImportGraph
from charter.hooks.source.modules import ModuleIndex, build_index
from charter.hooks.source.snapshot import Snapshot

MAX_BYTES = 1_000_000  # larger files are skipped, with a note


class Context:
    def __init__(self, snapshot: Snapshot, settings: Settings, cache: FactsCache) -> None:
        self.snapshot = snapshot
        self.settings = settings
        self.cache = cache
        exclude = GlobSet(settings.exclude)
        self.files: list[str] = [p for p in snapshot.files() if not exclude.match(p)]
        self.index: ModuleIndex = build_index(self.files, settings.source_roots, settings.packages)
        self.module_of: dict[str, str] = {path: m for m, path in self.index.modules.items()}
        self.notes: list[str] = []
        self.parsed: set[str] = set()  # Python files whose facts this run needed
        self._texts: dict[str, str | None] = {}

    def text(self, path: str) -> str | None:
        """The file's text, or None (with a note) when binary, not UTF-8 or huge."""
        if path not in self._texts:
            self._texts[path] = self._decode(path)
        return self._texts[path]

    def _decode(self, path: str) -> str | None:
        data = self.snapshot.read(path)
        if data is None:
            return None
        if len(data) > MAX_BYTES:
            self.notes.append(f"skipped {path}: larger than {MAX_BYTES // 1_000_000} MB")
            return None
        if b"\0" in data[:8192]:
            self.notes.append(f"skipped {path}: binary file")
            return None
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.notes.append(f"skipped {path}: not UTF-8")
            return None

    def facts(self, path: str) -> FileFacts:
        self.parsed.add(path)
        content_id = self.snapshot.content_id(path)
        module = self.module_of.get(path, "")
        key = f"{content_id}:{module}"
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        text = self.text(path)
        facts = FileFacts() if text is None else extract(text, module, path.endswith("__init__.py"))
        self.cache.put(key, facts)
        return facts

    @cached_property
    def graph(self) -> ImportGraph:
        paths = self.index.modules.values()
        return ImportGraph(self.index.modules, {path: self.facts(path) for path in paths})

    def in_scope(self, active: ActiveConstraint) -> list[str]:
        """The files a constraint governs: decision scope, then its paths and exclude."""
        covered = governs(active)
        return [f for f in self.files if covered(f)]


def governs(active: ActiveConstraint) -> Callable[[str], bool]:
    """Whether a path is in a constraint's scope: the decision's, its paths and exclude."""
    scope = GlobSet(active.scope)
    paths = GlobSet(active.constraint.paths)
    exclude = GlobSet(active.constraint.exclude)

    def covered(path: str) -> bool:
        return (
            (not scope or scope.match(path))
            and (not paths or paths.match(path))
            and not exclude.match(path)
        )

    return covered


def finding(
    active: ActiveConstraint,
    path: str,
    line: int,
    col: int,
    default_message: str,
    key: str,
    chain: tuple[str, ...] = (),
) -> Finding:
    """A finding of ``active``: the decision's message when it has one."""
    constraint = active.constraint
    message = constraint.message or default_message
    if constraint.message and default_message:
        message = f"{constraint.message} ({default_message})"
    return Finding(
        decision=active.decision,
        constraint=active.id,
        kind=active.kind,
        path=path,
        line=line,
        col=col,
        message=message,
        key=key,
        severity=active.severity,
        remedy=constraint.remedy,
        source=active.source,
        chain=chain,
    )
