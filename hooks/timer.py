"""A ``SIGALRM`` timer around a block: the time limit of user regexes and plugins.

Python's ``re`` and ordinary Python code honour signals, so the handler's exception
stops a runaway pattern or plugin. Only the main thread can set the timer.
"""

from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Callable, Iterator
from types import FrameType


@contextlib.contextmanager
def alarm(seconds: float, handler: Callable[[int, FrameType | None], None]) -> Iterator[None]:
    """``handler`` runs after ``seconds`` unless the block ends first. A timer already
    running (a test runner's timeout) is put back afterwards with the time it had left."""
    previous = signal.signal(signal.SIGALRM, handler)
    outer, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer:
            left = outer - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))
