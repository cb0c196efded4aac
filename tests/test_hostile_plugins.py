"""``python`` checks are the team's code, run inside the hook: bounded and isolated.

A plugin that sleeps, exits, prints or returns garbage costs the run at most the time
limit and yields an error naming what it did; it never hangs the commit, drops other
decisions' findings or breaks ``--format json`` (issue 13: hang, silent, crash).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from support.hostile import BOUNDED

from charter.hooks import plugincall
from charter.hooks.plugincall import PluginError, Result, call

pytestmark = BOUNDED


@pytest.fixture(autouse=True)
def _short_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugincall, "TIME_LIMIT", 0.3)


def _sleeps(ctx: Any) -> None:
    time.sleep(30)


def _busy(ctx: Any) -> None:
    while True:
        pass


def _swallows(ctx: Any) -> list[Any]:
    try:
        time.sleep(30)
    except Exception:
        return []
    return []


def _generator_sleeps(ctx: Any) -> Iterator[Any]:
    yield ("a.py", 1, "first")
    time.sleep(30)


@pytest.mark.parametrize("plugin", [_sleeps, _busy, _swallows, _generator_sleeps])
def test_a_plugin_that_does_not_finish_is_stopped_at_the_limit(plugin: Any) -> None:
    import signal

    started = time.perf_counter()
    with pytest.raises(PluginError, match=r"^ran for more than 0.3 s and was stopped"):
        call(plugin, None)
    assert time.perf_counter() - started < 2
    assert signal.getitimer(signal.ITIMER_REAL)[0] > 1  # the test runner's own timeout, put back


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (lambda ctx: sys.exit(0), "called sys.exit(0); a check returns its violations instead"),
        (lambda ctx: sys.exit("bye"), "called sys.exit('bye')"),
        (lambda ctx: 1 / 0, "raised ZeroDivisionError: division by zero"),
        (lambda ctx: 5, "returned int, not a list (or generator) of violations"),
        (lambda ctx: "a.py:1: x", "returned str, not a list (or generator) of violations"),
        (lambda ctx: [("a.py", "1", "m")], "result 0 is ('a.py', '1', 'm'), not a violation"),
        (lambda ctx: [("a.py", 1)], "result 0 is ('a.py', 1), not a violation"),
        (lambda ctx: [("a.py", True, "m")], "result 0 is ('a.py', True, 'm'), not a violation"),
        (lambda ctx: [("a.py", -1, "m")], "result 0 is ('a.py', -1, 'm'), not a violation"),
        (lambda ctx: [(1, 1, "m")], "result 0 is (1, 1, 'm'), not a violation"),
        (lambda ctx: [("a.py", 1, "m", 0, 7)], "result 0 is ('a.py', 1, 'm', 0, 7)"),
        (lambda ctx: [("a.py", 1, "m", 0, None, 9)], "result 0 is ('a.py', 1, 'm', 0, None, 9)"),
        (lambda ctx: [None], "result 0 is None, not a violation"),
        (lambda ctx: [("a.py", 1, "ok"), {"path": "a.py"}], "result 1 is {'path': 'a.py'}"),
        (lambda ctx: iter([("a.py", 1, 2.5)]), "result 0 is ('a.py', 1, 2.5)"),
    ],
)
def test_exits_exceptions_and_malformed_results_are_named(body: Any, message: str) -> None:
    with pytest.raises(PluginError) as caught:
        call(body, None)
    assert str(caught.value).startswith(message)


def test_what_a_plugin_prints_is_captured_and_shown_when_it_fails(
    capfd: pytest.CaptureFixture[str],
) -> None:
    def noisy(ctx: Any) -> None:
        print("python-level")
        os.write(1, b"fd-level\n")
        os.write(2, b"stderr-level\n")
        raise RuntimeError("broken")

    with pytest.raises(PluginError) as caught:
        call(noisy, None)
    assert str(caught.value).startswith("raised RuntimeError: broken; it printed: python-level")
    assert "fd-level" in str(caught.value) and "stderr-level" in str(caught.value)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_a_plugin_that_prints_and_succeeds_prints_nothing(
    capfd: pytest.CaptureFixture[str],
) -> None:
    def chatty(ctx: Any) -> list[tuple[str, int, str]]:
        print("debugging")
        return [("a.py", 3, "found")]

    assert call(chatty, None) == [Result("a.py", 3, "found")]
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        (None, []),
        ([], []),
        ([("a.py", 1, "m")], [Result("a.py", 1, "m")]),
        ([["a.py", 2, "m", 4]], [Result("a.py", 2, "m", 4)]),
        ([("a.py", 0, "m", 0, "key")], [Result("a.py", 0, "m", 0, "key")]),
    ],
)
def test_well_formed_results_are_kept(results: Any, expected: list[Result]) -> None:
    assert call(lambda ctx: results, None) == expected
