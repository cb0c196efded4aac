"""Calling a team's ``python`` check so that it cannot hang, crash or garble a run.

A plugin is code from the repository, run inside the hook. Whatever it does, the run
goes on and says what happened:

- it runs under a time limit (``TIME_LIMIT``, a ``SIGALRM`` timer on the main thread);
- what it prints, to ``sys.stdout``/``sys.stderr`` or to the file descriptors, is
  captured, so ``--format json`` stays JSON; it is shown only when the check fails;
- ``sys.exit()``, an exception, or results that are not ``(path, line, message[, col
  [, key]])`` records become a ``PluginError`` naming what went wrong; the caller names
  the plugin and the decision.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import FrameType
from typing import Any

from charter.hooks.timer import alarm

TIME_LIMIT = 10.0  # seconds per plugin call


class PluginError(Exception):
    """The plugin failed; the message says how (and what it printed)."""


class _Expired(BaseException):
    """Raised into the plugin by the timer (a BaseException: 'except Exception' in the
    plugin does not swallow it)."""


@dataclass(frozen=True)
class Result:
    """One finding a team's own check returned."""

    path: str
    line: int
    message: str
    col: int = 0
    key: str | None = None


def call(function: Callable[[Any], Any], argument: Any) -> list[Result]:
    """``function(argument)``'s results, checked, within the limits above."""
    outcome: list[Any] | BaseException
    with _captured() as output:
        try:
            with _time_limit():
                outcome = list(_iterate(function(argument)))
        except (Exception, SystemExit, _Expired) as exc:
            outcome = exc
    if isinstance(outcome, BaseException):
        cause = outcome if isinstance(outcome, Exception) else None
        raise PluginError(_failure(outcome) + _shown(output)) from cause
    return [_result(item, index) for index, item in enumerate(outcome)]


def _failure(exc: BaseException) -> str:
    if isinstance(exc, _Expired):
        return f"ran for more than {TIME_LIMIT:g} s and was stopped"
    if isinstance(exc, SystemExit):
        return f"called sys.exit({exc.code!r}); a check returns its violations instead"
    if isinstance(exc, PluginError):
        return str(exc)
    return f"raised {type(exc).__name__}: {exc}"


def _iterate(raw: Any) -> Iterator[Any]:
    if raw is None:
        return
    if isinstance(raw, (str, bytes)) or not isinstance(raw, Iterable):
        raise PluginError(f"returned {type(raw).__name__}, not a list (or generator) of violations")
    yield from raw


def _result(item: Any, index: int) -> Result:
    fields = tuple(item) if isinstance(item, (tuple, list)) else None
    shapes: tuple[type | tuple[type, ...], ...] = (str, int, str, int, (str, type(None)))
    if (
        fields is None
        or not 3 <= len(fields) <= 5
        or not all(
            isinstance(value, shape) and not isinstance(value, bool)
            for value, shape in zip(fields, shapes, strict=False)
        )
        or fields[1] < 0
    ):
        raise PluginError(
            f"result {index} is {_short(item)}, not a violation: yield "
            "Violation(path, line, message) or a (path: str, line: int, message: str"
            "[, col: int[, key: str]]) tuple"
        )
    return Result(*fields)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _shown(output: io.StringIO) -> str:
    text = output.getvalue().strip()
    if not text:
        return ""
    if len(text) > 500:
        text = text[:500] + " ..."
    return f"; it printed: {text}"


@contextlib.contextmanager
def _time_limit() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # no timer off the main thread (the MCP server's workers)
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _Expired

    with alarm(TIME_LIMIT, expire):
        yield


@contextlib.contextmanager
def _captured() -> Iterator[io.StringIO]:
    """Everything written to stdout/stderr meanwhile, Python's streams and the fds."""
    output = io.StringIO()
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
                yield output
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
            sink.seek(0)
            output.write(sink.read().decode("utf-8", "replace"))
