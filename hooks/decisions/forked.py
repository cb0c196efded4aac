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
threads hold, such as an import under way; a child that will use a native thread pool
is forked only from a process that runs no native thread either). ``CHARTER_FORK=0`` in
the environment turns it off.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable

_CHUNK = 1 << 16


class Child:
    """A forked child doing ``work`` (and then ``then``, when given: ``start``);
    ``result()`` waits for the work's bytes, ``rest()`` for the child's end and the
    bytes of ``then``."""

    def __init__(self, pid: int, reader: int, two_parts: bool) -> None:
        self._pid = pid
        self._reader = reader
        self._two_parts = two_parts
        self._first: bytes | None = None
        self._rest: bytes | None = None
        self._done = False  # the pipe read to its end and the child waited for

    def result(self, timeout: float | None = None) -> bytes | None:
        """The work's bytes, or None if the child did not finish it cleanly (or, given a
        ``timeout`` in seconds, in time: it is then stopped)."""
        if self._done or self._first is not None:
            return self._first
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            header = read_exactly(self._reader, _HEADER, deadline)
            size = None if header is None else int.from_bytes(header, "big")
            first = None if size is None else read_exactly(self._reader, size, deadline)
        except TimeoutError:
            self._end(kill=True)
            return None
        except BaseException:
            self._end(kill=True)  # interrupted: the child's work is no longer wanted
            raise
        if first is None or not self._two_parts:
            clean = self._end()
            self._first = first if clean else None
        else:
            self._first = first
        return self._first

    def rest(self, timeout: float | None = None) -> bytes | None:
        """The bytes of ``then``, once the child has ended; None if it did not finish
        cleanly (or ``then`` was not given; or, given a ``timeout`` in seconds, it did
        not end in time: it is then stopped)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        if not self._done and self.result(timeout) is not None and not self._done:
            chunks: list[bytes] = []
            try:
                while chunk := _read_some(self._reader, deadline):  # releases the GIL
                    chunks.append(chunk)
            except TimeoutError:
                self._end(kill=True)
                return None
            except BaseException:
                self._end(kill=True)
                raise
            if self._end():
                self._rest = b"".join(chunks)
        return self._rest

    def abandon(self) -> None:
        """The child's work is no longer wanted: it is stopped (if it has not ended)
        and waited for."""
        self._end(kill=True)

    def _end(self, kill: bool = False) -> bool:
        """Close the pipe and wait for the child: whether it exited cleanly."""
        if self._done:
            return False
        self._done = True
        os.close(self._reader)
        if kill:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            _, status = os.waitpid(self._pid, 0)
            return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
        return False


_HEADER = 8  # the length of the work's bytes, before them


def read_exactly(source: int, size: int, deadline: float | None = None) -> bytes | None:
    """``size`` bytes from the pipe ``source``; None if it ends first; TimeoutError if
    they have not come by the ``deadline`` (``time.monotonic``)."""
    data = b""
    while len(data) < size:
        chunk = _read_some(source, deadline, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _read_some(source: int, deadline: float | None, most: int = _CHUNK) -> bytes:
    """What the pipe holds, up to ``most`` bytes (none: it ended); TimeoutError if
    nothing has come by the ``deadline``."""
    if deadline is not None:
        waiting = select.poll()  # (``select.select`` refuses descriptors past 1023)
        waiting.register(source, select.POLLIN)
        if not waiting.poll(max(0, int((deadline - time.monotonic()) * 1000))):
            raise TimeoutError
    return os.read(source, min(_CHUNK, most))


def start(
    work: Callable[[], bytes], then: Callable[[], bytes] | None = None, *, native: bool = False
) -> Child | None:
    """``work`` started in a forked child, then ``then`` (when given) in the same child;
    None where a fork is not safe (do it here). ``native``: the child's work runs a
    native thread pool (grimp's scan), so no fork unless this process runs one thread,
    native threads counted too (``_one_thread``)."""
    if not forkable() or (native and not _one_thread()):
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
        _run_child(work, then, reader, writer)
    os.close(writer)
    return Child(pid, reader, then is not None)


def _run_child(  # pragma: no cover
    work: Callable[[], bytes], then: Callable[[], bytes] | None, reader: int, writer: int
) -> None:
    code = 1
    try:
        os.close(reader)
        first = work()
        _write(writer, len(first).to_bytes(_HEADER, "big") + first)
        if then is not None:
            _write(writer, then())
        code = 0
    finally:
        # Leaves before any exception goes further: the parent does the work again and
        # reports what went wrong; the parent's exit handlers and buffers are its own.
        os._exit(code)


def _write(writer: int, data: bytes) -> None:  # pragma: no cover - in the child
    view = memoryview(data)
    while view:
        view = view[os.write(writer, view) :]


def forkable() -> bool:
    """Whether ``start`` would fork a child here."""
    return (
        os.environ.get("CHARTER_FORK") != "0"
        and hasattr(os, "fork")
        and sys.platform != "darwin"  # macOS's system libraries are not fork-safe
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
    )


def _one_thread() -> bool:
    """Whether this process runs one thread, native ones counted where the system says
    (Linux): a native library's worker threads (grimp's Rust thread pool, once it has
    scanned) do not exist in a forked child, and a pool that believes it has them waits
    forever there for work handed to them."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return True  # no such listing here: Python's threads are all that is known
