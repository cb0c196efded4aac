"""The methods ``dataclasses`` writes for Charter's records, compiled once, not per run.

For every record, ``dataclasses`` writes the source of its ``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``__setattr__`` and ``__delattr__`` and compiles it when the
class is made: ~1 ms of CPU per frozen record, ~35-45 ms for the ~40 records a commit
hook defines, paid again by every hook process (issue 15; more than Python's own start).

``install()`` (called once, by the ``charter`` command's ``main``) lets ``dataclasses``
reuse the code objects an earlier run compiled from the same source text, kept beside
Charter's bytecode (``__pycache__``, or under ``PYTHONPYCACHEPREFIX``) in one marshal file per
top-level package of the records (``charter``; ``libcst``, whose ~400 node classes
``charter fix`` defines) named for the interpreter, read when the first record of that
package is made and written back at exit when new ones were compiled; as for
bytecode, nothing is written when Python writes no bytecode. The text is the key, so an
entry can never be stale: a class whose fields change writes a new text. The classes
``dataclasses`` makes are the same either way: only ``compile`` is skipped.
"""

from __future__ import annotations

import atexit
import builtins
import dataclasses
import marshal
import sys
from pathlib import Path
from types import CodeType
from typing import Any

# Kept when saving, per package: the most recently used texts. A hook uses ~250 of
# Charter's; ``charter fix`` also ~1,100 of LibCST's (its ~400 node classes). Every
# change of a record's fields leaves a stale text behind, and a package's file is read
# by every run that defines one of its records.
MAX_ENTRIES = 2048


class _Package:
    """The kept methods of the records of one top-level package, in one marshal file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.codes: dict[str, CodeType] = {}
        self.used: dict[str, CodeType] = {}  # this run's, in order
        self.dirty = False
        if path is not None:
            try:
                loaded = marshal.loads(path.read_bytes())
            except (OSError, EOFError, ValueError, TypeError):
                loaded = None
            if isinstance(loaded, dict):
                self.codes = loaded

    def code(self, source: str) -> CodeType:
        code = self.codes.get(source)
        if code is None:
            code = compile(source, "<string>", "exec")
            self.codes[source] = code
            self.dirty = True
        self.used[source] = code
        return code

    def kept(self) -> dict[str, CodeType]:
        """What to keep: the texts this run used last, so the least recently used go."""
        others = [item for item in self.codes.items() if item[0] not in self.used]
        recent = [*others, *self.used.items()][-MAX_ENTRIES:]
        return dict(recent)

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        from charter.hooks.source.atomic import write_atomic

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, marshal.dumps(self.kept()))
        except (OSError, ValueError):
            pass  # not kept: the next run compiles again, as Python does without bytecode


class _Compiled:
    """``dataclasses``' ``exec``, taking each text's code from its package's file."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.packages: dict[str, _Package] = {}

    def package(self, name: str) -> _Package:
        found = self.packages.get(name)
        if found is None:
            tag = sys.implementation.cache_tag
            path = None if self.folder is None else self.folder / f"methods.{tag}.{name}.marshal"
            found = self.packages[name] = _Package(path)
        return found

    def exec(self, source: Any, globals: Any = None, locals: Any = None) -> None:
        if isinstance(source, str):
            # ``dataclasses`` passes the globals of the record's own module.
            module = globals.get("__name__") if isinstance(globals, dict) else None
            name = module.partition(".")[0] if isinstance(module, str) else ""
            source = self.package(name if name.isidentifier() else "_").code(source)
        builtins.exec(source, globals, locals)

    def save(self) -> None:
        if sys.dont_write_bytecode:
            return
        for package in self.packages.values():
            package.save()


def _store() -> Path | None:
    """The folder of the kept methods: Charter's bytecode folder (None: no bytecode)."""
    if sys.implementation.cache_tag is None:
        return None
    folder = Path(__file__).resolve().parent
    if sys.pycache_prefix:
        return Path(sys.pycache_prefix) / folder.relative_to(folder.anchor)
    return folder / "__pycache__"


def install() -> None:
    """Route ``dataclasses``' compilation of generated methods through the cache."""
    if getattr(dataclasses, "exec", None) is not None:
        return  # installed already (or someone else's): leave it
    compiled = _Compiled(_store())
    # ``dataclasses`` calls the name ``exec``: a module attribute comes before the builtin.
    dataclasses.exec = compiled.exec  # type: ignore[attr-defined]
    atexit.register(compiled.save)
