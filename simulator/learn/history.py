"""A repository's history as ``charter learn`` reads it: per first-parent commit, the
source modules, their imports and the qualified names they use (Charter's own facts, as
the hooks read them), and the files of the tree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from charter.hooks.errors import CharterError
from charter.hooks.settings import Settings
from charter.simulator.learn.records import Point

_NOT_SOURCE = ("tests", "test", "testing", "docs", "examples", "scripts", "bench")


@dataclass(frozen=True)
class State:
    """The code at one commit."""

    point: Point
    paths: Mapping[str, str]  # source module -> path
    imports: Mapping[str, frozenset[str]]  # source module -> modules it imports
    uses: Mapping[str, frozenset[str]]  # path -> fully qualified names it uses
    files: frozenset[str]

    def importers_of(self, target: str) -> set[str]:
        return {m for m, imported in self.imports.items() if target in imported}


def is_source(path: str) -> bool:
    parts = path.split("/")
    return path.endswith(".py") and not any(p in _NOT_SOURCE for p in parts[:-1])


def first_parent(root: Path, range_: str) -> list[Point]:
    """``A`` and each first-parent commit of ``A..B``, oldest first."""
    from charter.hooks.source import git

    if ".." not in range_:
        raise CharterError(f"--range {range_!r}: give two revisions, A..B")
    start = range_.split("..")[0]
    listed = git.run(root, "rev-list", "--reverse", "--first-parent", range_, "--").split()
    if not listed:
        raise CharterError(f"--range {range_}: no commit in that range")
    return [point(root, rev) for rev in [start, *(s.decode() for s in listed)]]


def point(root: Path, rev: str) -> Point:
    from charter.hooks.source import git

    line = git.run(root, "log", "-1", "--format=%H%x00%cs%x00%s", rev, "--").decode()
    sha, date, subject = line.rstrip("\n").split("\0", 2)
    return Point(sha, date, subject)


def state(settings: Settings, at: Point) -> State:
    """The source modules, imports, used names and files of commit ``at``."""
    from charter.hooks.source.cache import Cache
    from charter.hooks.source.snapshot import Commit
    from charter.hooks.view import SnapshotView

    view = SnapshotView(Commit(settings.root, at.sha), settings, Cache(None))
    graph = view.graph
    paths = {m: p for m, p in graph.modules.items() if is_source(p)}
    imports = {
        m: frozenset(e.imported for e in graph.edges.get(m, ()) if e.imported != "__future__")
        for m in paths
    }
    facts = view.facts_of(sorted(paths.values()))
    uses = {p: frozenset(u.name for u in f.uses) for p, f in facts.items()}
    return State(at, paths, imports, uses, frozenset(view.files))
