"""The methods ``dataclasses`` writes for Charter's records, compiled once, not per run.

For every record, ``dataclasses`` writes the source of its ``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``__setattr__`` and ``__delattr__`` and compiles it when the
class is made: ~1 ms of CPU per frozen record, ~35-45 ms for the ~40 records a commit
hook defines, paid again by every hook process (issue 15; more than Python's own start).

``install()`` (called once, by the ``charter`` command's ``main``) lets ``dataclasses``
reuse the code objects an earlier run compiled from the same source text, kept beside
Charter's bytecode (``__pycache__``, or under ``PYTHONPYCACHEPREFIX``) in one marshal file named
for the interpreter, and written back at exit when new ones were compiled; as for
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

# Kept when saving: the most recently used texts. One command uses ~250 and all of
# Charter's ~700; every change of a record's fields leaves a stale text behind, and the
# whole file is read by every run (1.8 MB, ~8 ms, before this bound).
MAX_ENTRIES = 1024


class _Compiled:
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

    def exec(self, source: Any, globals: Any = None, locals: Any = None) -> None:
        if isinstance(source, str):
            code = self.codes.get(source)
            if code is None:
                code = compile(source, "<string>", "exec")
                self.codes[source] = code
                self.dirty = True
            self.used[source] = code
            source = code
        builtins.exec(source, globals, locals)

    def kept(self) -> dict[str, CodeType]:
        """What to keep: the texts this run used last, so the least recently used go."""
        others = [item for item in self.codes.items() if item[0] not in self.used]
        recent = [*others, *self.used.items()][-MAX_ENTRIES:]
        return dict(recent)

    def save(self) -> None:
        if self.path is None or not self.dirty or sys.dont_write_bytecode:
            return
        from charter.hooks.source.atomic import write_atomic

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, marshal.dumps(self.kept()))
        except (OSError, ValueError):
            pass  # not kept: the next run compiles again, as Python does without bytecode


def _store() -> Path | None:
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    folder = Path(__file__).resolve().parent
    if sys.pycache_prefix:
        folder = Path(sys.pycache_prefix) / folder.relative_to(folder.anchor)
        return folder / f"methods.{tag}.marshal"
    return folder / "__pycache__" / f"methods.{tag}.marshal"


def install() -> None:
    """Route ``dataclasses``' compilation of generated methods through the cache."""
    if getattr(dataclasses, "exec", None) is not None:
        return  # installed already (or someone else's): leave it
    compiled = _Compiled(_store())
    # ``dataclasses`` calls the name ``exec``: a module attribute comes before the builtin.
    dataclasses.exec = compiled.exec  # type: ignore[attr-defined]
    atexit.register(compiled.save)
