"""Ctrl-C in a pool process: raised where a unit can clean up, never inside its clean-up.

A pool process that receives SIGINT stops the unit it runs by raising KeyboardInterrupt,
so the unit closes its sandbox on the way out (executors.py). Raised at any bytecode, it
could land between creating a sandbox folder and the ``try`` that removes it, or halfway
through the removal itself, and leave the folder behind. Code that must not be cut in
two runs inside ``deferred()``: a Ctrl-C there is raised when the block ends.

The process that runs ``charter sim`` holds Ctrl-C the same way (``stoppable()``) while
it writes a finished unit, ``results.json``, the summary and the report: raised inside
pydantic's serializer, a KeyboardInterrupt would come out as a serialization error (an
"internal error", not an interruption), the file half written.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _State:
    running = False  # a unit runs: Ctrl-C stops it (an idle pool process ignores it)
    depth = 0  # nested deferred() blocks
    pending = False  # a Ctrl-C came during a deferred() block


def install() -> None:
    """Make Ctrl-C stop this process's running unit (called as a pool process starts)."""
    signal.signal(signal.SIGINT, _on_sigint)


def _on_sigint(signum: int, frame: object) -> None:
    # An idle pool process that died of Ctrl-C would make the pool kill its busy
    # siblings (SIGTERM: their sandboxes left behind); a second Ctrl-C spares the clean-up.
    if _State.running:
        _stop()


def _on_sigint_here(signum: int, frame: object) -> None:
    # The main process has no idle state: each Ctrl-C stops it (the second, its clean-up).
    _stop()


def _stop() -> None:
    """Raise KeyboardInterrupt now, or at the end of the ``deferred()`` block under way."""
    if _State.depth:
        _State.pending = True
        return
    _State.running = False
    raise KeyboardInterrupt


@contextmanager
def stoppable() -> Iterator[None]:
    """This process (the main thread of ``charter sim``) stops at Ctrl-C, except inside
    ``deferred()``; a second Ctrl-C outside one stops it again. Called on another
    thread (Charter used as a library), it changes nothing: only the main thread can
    set a signal's handler."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, _on_sigint_here)
    _State.pending = False
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def running() -> Iterator[None]:
    """A unit runs: Ctrl-C stops it."""
    _State.running, _State.pending = True, False
    try:
        yield
    finally:
        _State.running = False


@contextmanager
def deferred() -> Iterator[None]:
    """A block Ctrl-C does not cut: one that comes meanwhile is raised at its end."""
    _State.depth += 1
    try:
        yield
    finally:
        _State.depth -= 1
    if _State.depth == 0 and _State.pending:
        _State.pending = _State.running = False
        raise KeyboardInterrupt
