"""The constraints in force, compiled once and cached for the commit hook's hot path.

Validating decision records needs PyYAML and, unless every record can be validated
without it (``plain.py``), pydantic: they cost more to import than the whole check of a
small commit. The validated constraints in force are therefore
written to ``<cache_dir>/decisions-<digest>-<python>.marshal``, keyed by a digest of
Charter's version and every decision file's path and bytes; while no decision file
changes, the hook rebuilds them from that file without importing either library. The
values are those of their JSON form (what the constraint models dump, through
``json``), kept with ``marshal``, which a hook reads without importing ``json``.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import marshal
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import TYPE_CHECKING, Any, Protocol

from charter.hooks import __version__, digests
from charter.hooks.constraint.active import ActiveConstraint
from charter.hooks.errors import CharterError
from charter.hooks.settings import Settings
from charter.hooks.source.cache import save_bytes

if TYPE_CHECKING:
    from charter.hooks.decisions import forked
    from charter.hooks.decisions.load import LoadResult
    from charter.hooks.source.snapshot import Snapshot


class Beside(Protocol):
    """Work that overlaps the validation of the records (``engine.Ahead``), when they do
    not come from the cache. Where a child can be forked:

    - ``before_fork()`` runs here first (what the child should find done);
    - the child validates the records and hands them over, then runs the work
      ``in_child(active)`` gives (None: none), whose answer (anything ``marshal`` keeps)
      comes later: ``receive`` gets a function here that waits for it (None: no answer,
      or it failed), once the records are here;
    - ``start()`` runs here while the child works.

    Without a child, ``start()`` runs, then the records are validated here.
    """

    def before_fork(self) -> None: ...

    def start(self) -> None: ...

    def in_child(self, active: list[ActiveConstraint]) -> Callable[[], object] | None: ...

    def receive(self, answer: Callable[[], object]) -> None: ...


def load_active(
    settings: Settings, use_cache: bool = True, beside: Beside | None = None
) -> list[ActiveConstraint]:
    """The constraints in force; errors in the decisions stop with exit 2.

    ``beside``: work that overlaps the validation when the records are not cached.
    """
    folder = settings.root / settings.decisions
    cache = None
    if use_cache:
        cache = settings.root / settings.cache_dir / _file_name(_digest(settings, folder))
    return _cached(cache, lambda: _validate(settings), beside)


def load_active_from(
    snapshot: Snapshot, folder: str, cache_dir: Path | None = None
) -> list[ActiveConstraint]:
    """The constraints in force in a snapshot (the index, a commit), cached in
    ``cache_dir`` by the blob ids of its decision files (None: not cached)."""

    def validate() -> list[ActiveConstraint]:
        # Imported only on a cache miss: it brings PyYAML, and pydantic unless the
        # records need none (``plain.py``; CH-0007).
        from charter.hooks.decisions import load, plain

        return _first_in_force(
            lambda: plain.load_snapshot(snapshot, folder),
            lambda: load.load_snapshot(snapshot, folder),
        )

    cache = None
    if cache_dir is not None:
        cache = cache_dir / _file_name(_snapshot_digest(snapshot, folder))
    return _cached(cache, validate)


def _cached(
    cache: Path | None,
    validate: Callable[[], list[ActiveConstraint]],
    beside: Beside | None = None,
) -> list[ActiveConstraint]:
    if cache is not None:
        cached = _read(cache)
        if cached is not None:
            return cached
    data = _compiled(validate, beside)
    if cache is not None:
        save_bytes(cache, data)
    # The plain form either way, so a run's findings never depend on whether the
    # decisions were just validated or read from the cache.
    active = _loads(data)
    assert active is not None  # it was made by _dumps
    return active


def _compiled(validate: Callable[[], list[ActiveConstraint]], beside: Beside | None) -> bytes:
    """The constraints in force as the cache holds them; with ``beside``, validated in a
    forked child while ``beside``'s work runs here (``forked.py``). The records are
    handed over as soon as they are validated; the child's own work for ``beside``
    goes on, and its answer is waited for only when ``beside`` asks."""
    if beside is None:
        return _dumps(validate())
    from charter.hooks.decisions import forked

    work: Callable[[], object] | None = None  # in the child: what ``answer`` runs

    def records() -> bytes:
        nonlocal work
        data = _dumps(_without_plugins(validate))
        with contextlib.suppress(Exception):  # the answer is help, never needed
            work = beside.in_child(_loads(data) or [])
        return marshal.dumps((data, work is not None))

    def answer() -> bytes:
        found: Any = None
        if work is not None:
            with contextlib.suppress(Exception):
                found = work()
        return marshal.dumps(found)

    if forked.forkable():
        beside.before_fork()
    child = forked.start(records, then=answer)  # before any thread
    beside.start()
    data = None if child is None else _received(child, beside)
    if data is None or _loads(data) is None:
        # No child, or it failed (a decision error): here, where errors are reported.
        data = _dumps(validate())
    return data


def _received(child: forked.Child, beside: Beside) -> bytes | None:
    """The child's compiled records; a function waiting for its answer is handed to
    ``beside`` when one is coming (else the child is waited for now)."""
    try:
        raw = child.result()
        data, answering = marshal.loads(raw) if raw is not None else (None, False)
    except (ValueError, EOFError, TypeError):
        data, answering = None, False
    if not (isinstance(data, bytes) and answering):
        child.rest()  # nothing more is coming: the child ends now
        return data if isinstance(data, bytes) else None

    def answer() -> object:
        rest = child.rest()
        try:
            return None if rest is None else marshal.loads(rest)
        except (ValueError, EOFError, TypeError):
            return None

    beside.receive(answer)
    return data


def _without_plugins(validate: Callable[[], list[ActiveConstraint]]) -> list[ActiveConstraint]:
    """``validate()`` in the forked child, where pydantic loads no plugins.

    pydantic looks for third-party plugins (observers of validation, such as tracing)
    when it builds a model's validator: it imports ``importlib.metadata`` and reads every
    installed distribution's entry points, ~20-30 ms of the child's CPU on a cold run,
    beside the scan it competes with for the second core. Charter's own records want no
    plugin, and the child only returns its bytes, so it tells pydantic there are none
    (the module it asks, in place of pydantic's). Should a pydantic release ask that
    module something else, the child fails, and this process validates as it would
    without a child: slower, never different.
    """
    loader = ModuleType("pydantic.plugin._loader")
    loader.get_plugins = tuple  # type: ignore[attr-defined]  # no plugins: ()
    sys.modules.setdefault("pydantic.plugin._loader", loader)
    return validate()


def _file_name(digest: str) -> str:
    return f"decisions-{digest}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"


def folder_digest(settings: Settings) -> str:
    """A digest of Charter's version and of every decision file's path and bytes: while
    it is the same, what was compiled from the records holds."""
    return _digest(settings, settings.root / settings.decisions)


def _digest(settings: Settings, folder: Path) -> str:
    digest = digests.sha256(f"{__version__}\0{settings.decisions}\0".encode())
    if folder.is_dir():
        for path in sorted(folder.rglob("*.md")):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def _snapshot_digest(snapshot: Snapshot, folder: str) -> str:
    from charter.hooks.source.snapshot import symlinks

    # Blob ids name the bytes exactly, so a staged record is not read to know it is unchanged.
    prefix = folder.rstrip("/") + "/"
    digest = digests.sha256(f"{__version__}\0{folder}\0snapshot\0".encode())
    files = snapshot.files()  # sorted: the folder's files are one run of them
    for rel in itertools.takewhile(
        lambda path: path.startswith(prefix), files[bisect.bisect_left(files, prefix) :]
    ):
        if rel.endswith(".md"):
            digest.update(f"{rel}\0{snapshot.content_id(rel)}\0".encode())
    for rel in symlinks(snapshot, folder):  # an error, never a skip: never a cache hit
        digest.update(f"{rel}\0link\0".encode())
    return digest.hexdigest()[:24]


def _validate(settings: Settings) -> list[ActiveConstraint]:
    from charter.hooks.decisions import load, plain

    return _first_in_force(
        lambda: plain.load_folder(settings.root, settings.decisions),
        lambda: load.load_folder(settings.root, settings.decisions),
    )


def _first_in_force(
    plainly: Callable[[], LoadResult | None], with_models: Callable[[], LoadResult]
) -> list[ActiveConstraint]:
    """The constraints in force, from the records validated without pydantic where the
    result is certain (``plain.py``), else with the models, which report every error
    (an error between records, such as a duplicate id, is reported by that run too)."""
    loaded = plainly()
    if loaded is not None:
        try:
            return _in_force(loaded)
        except CharterError:
            pass
    return _in_force(with_models())


def _in_force(loaded: LoadResult) -> list[ActiveConstraint]:
    from charter.hooks.decisions import catalog

    return list(catalog.in_force(loaded).active())


def _to_data(item: ActiveConstraint) -> dict[str, Any]:
    return {
        "id": item.id,
        "index": item.index,
        "severity": item.severity,
        "kind": item.kind,
        "fields": item.constraint.model_dump(mode="json"),
        "decision": item.decision,
        "source": item.source,
        "scope": list(item.scope),
    }


def tuples(value: Any) -> Any:
    """JSON lists back to the tuples the model holds (dicts, e.g. options, stay dicts)."""
    if isinstance(value, (list, tuple)):
        return tuple(tuples(v) for v in value)
    return value


def _from_data(data: dict[str, Any]) -> ActiveConstraint:
    fields = {key: tuples(value) for key, value in data["fields"].items()}
    return ActiveConstraint(
        id=data["id"],
        index=data["index"],
        severity=data["severity"],
        kind=data["kind"],
        constraint=SimpleNamespace(**fields),
        decision=data["decision"],
        source=data["source"],
        scope=tuple(data["scope"]),
    )


def _dumps(active: list[ActiveConstraint]) -> bytes:
    import json  # validating imports it anyway; reading the cache does not

    # Through JSON, so the values are exactly what a JSON cache gave back (lists, string
    # keys), whichever way the models dump them.
    plain = json.loads(json.dumps([_to_data(item) for item in active]))
    return marshal.dumps(plain)


def _loads(data: bytes) -> list[ActiveConstraint] | None:
    try:
        return [_from_data(item) for item in marshal.loads(data)]
    except (ValueError, EOFError, KeyError, TypeError, RecursionError):
        return None


def _read(path: Path) -> list[ActiveConstraint] | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return _loads(data)
