"""The decision records are validated in a forked child while the tree is scanned.

``decisions/forked.py`` runs a piece of work in a forked child and hands its bytes back
through a pipe; anything but a clean answer gives None, and the caller does the work
itself. These tests fork real children: the bytes arrive whole (more than a pipe holds),
a failure is None, the child runs no exit handler of the parent's, and no fork happens
where it is not safe (off the main thread) or is turned off.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support.repo import decision, write_decision

from charter.hooks.decisions import forked


def _started(work: Callable[[], bytes]) -> forked.Child:
    child = forked.start(work)
    assert child is not None, "this test runs on Linux, on the main thread, alone"
    return child


def test_the_childs_bytes_arrive_whole() -> None:
    data = bytes(range(256)) * 4096  # 1 MiB, far more than a pipe buffer
    assert _started(lambda: data).result() == data


def test_a_child_that_fails_gives_none() -> None:
    def broken() -> bytes:
        raise ValueError("a decision error")

    def leaving() -> bytes:
        raise SystemExit(0)

    assert _started(broken).result() is None
    assert _started(leaving).result() is None


def test_a_child_that_is_killed_gives_none() -> None:
    def killed() -> bytes:
        os.kill(os.getpid(), 9)
        return b"never"

    assert _started(killed).result() is None


def test_a_child_that_does_not_answer_in_time_is_stopped() -> None:
    def stuck() -> bytes:
        time.sleep(600)
        return b"too late"

    child = _started(stuck)
    started = time.monotonic()
    assert child.result(timeout=0.3) is None
    assert time.monotonic() - started < 30
    assert child.result() is None  # stopped and waited for: nothing more comes
    assert _started(lambda: b"in time").result(timeout=30) == b"in time"


def test_no_fork_off_the_main_thread_or_when_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    found: list[forked.Child | None] = []
    thread = threading.Thread(target=lambda: found.append(forked.start(lambda: b"")))
    thread.start()
    thread.join()
    assert found == [None]
    monkeypatch.setenv("CHARTER_FORK", "0")
    assert forked.start(lambda: b"") is None


def test_the_child_runs_no_exit_handler_and_writes_nothing_twice(tmp_path: Path) -> None:
    script = tmp_path / "parent.py"
    script.write_text(
        "import atexit, sys\n"
        "from charter.hooks.decisions import forked\n"
        "atexit.register(lambda: print('exit handler'))\n"
        "sys.stdout.write('buffered before the fork; ')\n"
        "child = forked.start(lambda: b'answer')\n"
        "print(child.result().decode())\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout == "buffered before the fork; answer\nexit handler\n"
    assert result.stderr == ""


_AFTER_A_SCAN = """
import os
from charter.hooks.decisions import forked
from charter.hooks.source import native
before = forked.forkable()
jobs = {
    f"pkg/m{n}.py": native.Job(f"pkg.m{n}", False, f"import os\\nfrom pkg import m{n + 1}\\n")
    for n in range(64)
}
jobs["pkg/__init__.py"] = native.Job("pkg", True, "")
os.environ["CHARTER_NATIVE"] = "1"
assert native.scan(jobs), "grimp scanned nothing"
print(before, len(os.listdir("/proc/self/task")) > 1, forked.start(bytes, native=True))
"""


def test_no_child_that_scans_is_forked_once_a_native_thread_pool_runs() -> None:
    """grimp's scan leaves its Rust thread pool running, which a forked child lacks (a
    scan there would wait forever): no child that will scan is forked after one."""
    result = subprocess.run(
        [sys.executable, "-c", _AFTER_A_SCAN],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "CHARTER_FORK"},
    )
    assert result.stdout.split() == ["True", "True", "None"]


_PLUGIN_LOOKUP = """
import marshal, sys
from pathlib import Path
from charter.hooks import settings
from charter.hooks.decisions import compile, forked
found, _ = settings.load(Path(sys.argv[1]))
def work():
    data = compile._dumps(compile._without_plugins(lambda: compile._validate(found)))
    return marshal.dumps([data, "importlib.metadata" in sys.modules])
data, looked = marshal.loads(forked.start(work).result())
here = compile._dumps(compile._validate(found))
print(looked, data == here, "importlib.metadata" in sys.modules)
"""


def test_the_child_validates_as_this_process_does_without_looking_for_plugins(
    repo: Path,
) -> None:
    """pydantic's plugins are looked up (every distribution's entry points read) only
    where the records are validated in this process: the child's bytes are the same.
    (``adopted:`` is validated by pydantic alone: ``decisions/plain.py``.)"""
    rule = "adopted: 2024-04-13\nconstraints:\n  - kind: banned-api\n    names: [pickle.loads]\n"
    write_decision(repo, "0001-no-pickle.md", decision("ADR-0001", extra=rule))
    result = subprocess.run(
        [sys.executable, "-c", _PLUGIN_LOOKUP, str(repo)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True"]


def test_the_first_part_arrives_while_the_child_goes_on(tmp_path: Path) -> None:
    """With ``then``, ``result()`` is the work's bytes as soon as they are written, while
    the child still runs ``then``; ``rest()`` waits for its bytes and the child's end."""
    gate = tmp_path / "go"

    def then() -> bytes:
        while not gate.exists():  # holds until this process has the first part
            time.sleep(0.01)
        return b"rest" * 50_000  # more than a pipe holds

    child = forked.start(lambda: b"records", then=then)
    assert child is not None
    assert child.result() == b"records"  # ``then`` is still waiting for the gate
    gate.touch()
    assert child.rest() == b"rest" * 50_000
    assert child.result() == b"records" and child.rest() == b"rest" * 50_000


def test_a_failure_after_the_first_part_loses_only_the_rest() -> None:
    def broken() -> bytes:
        raise ValueError("the parse failed")

    def killed() -> bytes:
        os.kill(os.getpid(), 9)
        return b"never"

    for then in (broken, killed):
        child = forked.start(lambda: b"records", then=then)
        assert child is not None
        assert (child.result(), child.rest()) == (b"records", None)


def test_a_failure_before_the_first_part_gives_none_for_both() -> None:
    def broken() -> bytes:
        raise ValueError("a decision error")

    child = forked.start(broken, then=lambda: b"never")
    assert child is not None
    assert (child.result(), child.rest()) == (None, None)


def test_a_rest_that_does_not_come_in_time_is_stopped() -> None:
    """``rest(timeout)``: the first part is kept; a ``then`` that hangs is stopped."""

    def stuck() -> bytes:
        time.sleep(600)
        return b"too late"

    child = forked.start(lambda: b"entries", then=stuck)
    assert child is not None
    started = time.monotonic()
    assert (child.result(), child.rest(timeout=0.3)) == (b"entries", None)
    assert time.monotonic() - started < 30
    assert child.rest() is None  # stopped and waited for: nothing more comes
    answering = forked.start(lambda: b"entries", then=lambda: b"tests")
    assert answering is not None and answering.rest(timeout=30) == b"tests"
