"""Validate the decision records in a forked child while this process scans the tree.

On a fresh clone ``check`` must both validate the decision records (importing PyYAML
and pydantic, then validating: Python holding the GIL) and list and scan the tree. A
thread overlaps only the scan's GIL-free part (``engine.Ahead``): the validation slows
the thread's Python ~2x. A child process overlaps the two whole, on a second core, and
this process never imports pydantic.

The child runs the work and writes its bytes (the compiled decisions, as the cache
holds them) to a pipe, then leaves with ``os._exit``: no atexit handler, no flush of
stdio buffers it inherited, no cache write happens twice. Anything but a clean answer
(the work raised, e.g. on a decision error; the child died) gives None, and the caller
does the work in its own process as it would without a child, so every error message
is the one it always was. A fork happens only where it is cheap and safe: on POSIX,
from the main thread, with no other thread running (a fork copies the locks other
threads hold, such as an import under way). ``CHARTER_FORK=0`` in the environment
turns it off.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable

_CHUNK = 1 << 16


class Child:
    """A forked child doing ``work``; ``result()`` waits for its bytes."""

    def __init__(self, pid: int, reader: int) -> None:
        self._pid = pid
        self._reader = reader

    def result(self) -> bytes | None:
        """The work's bytes, or None if the child did not finish it cleanly."""
        chunks: list[bytes] = []
        finished = False
        try:
            while chunk := os.read(self._reader, _CHUNK):  # releases the GIL while it waits
                chunks.append(chunk)
            _, status = os.waitpid(self._pid, 0)
            finished = True
        finally:
            os.close(self._reader)
            if not finished:  # interrupted: the child's work is no longer wanted
                with contextlib.suppress(OSError):
                    os.kill(self._pid, signal.SIGKILL)
                    os.waitpid(self._pid, 0)
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return None
        return b"".join(chunks)


def start(work: Callable[[], bytes]) -> Child | None:
    """``work`` started in a forked child; None where a fork is not safe (do it here)."""
    if not forkable():
        return None
    reader, writer = os.pipe()
    for stream in (sys.stdout, sys.stderr):  # nothing buffered is written twice
        with contextlib.suppress(Exception):
            stream.flush()
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # pragma: no cover - the child; coverage does not follow a fork
        _run_child(work, reader, writer)
    os.close(writer)
    return Child(pid, reader)


def _run_child(work: Callable[[], bytes], reader: int, writer: int) -> None:  # pragma: no cover
    code = 1
    try:
        os.close(reader)
        view = memoryview(work())
        while view:
            view = view[os.write(writer, view) :]
        code = 0
    finally:
        # Leaves before any exception goes further: the parent does the work again and
        # reports what went wrong; the parent's exit handlers and buffers are its own.
        os._exit(code)


def forkable() -> bool:
    """Whether ``start`` would fork a child here."""
    return (
        os.environ.get("CHARTER_FORK") != "0"
        and hasattr(os, "fork")
        and sys.platform != "darwin"  # macOS's system libraries are not fork-safe
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
    )
