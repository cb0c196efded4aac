"""The hostile battery's bounds: every case finishes within TIME_LIMIT s and MEMORY_LIMIT.

``bounded_cli`` runs the real ``charter`` in a subprocess whose address space is capped
(``resource.setrlimit``) and which is killed after the time limit, so a case that would
hang or eat the machine fails instead of taking the suite down with it. In-process cases
carry ``pytest.mark.timeout`` (pytest-timeout) through ``BOUNDED``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

TIME_LIMIT = 10.0  # seconds, per case
MEMORY_LIMIT = 1 << 30  # bytes of address space, per case
BOUNDED = pytest.mark.timeout(TIME_LIMIT)
# A hypothesis test runs a few hundred cases: the bound covers all of them together.
FUZZ_BOUNDED = pytest.mark.timeout(6 * TIME_LIMIT)

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def bounded_cli(
    args: Sequence[str],
    cwd: Path,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
) -> Outcome:
    """``charter ARGS`` in ``cwd`` under the time and memory limits."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "charter.hooks", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_cap_memory,
        env={**os.environ, **(env or {})},
    )
    return Outcome(result.returncode, result.stdout, result.stderr, time.perf_counter() - started)


def timed(call: Callable[[], T]) -> tuple[T, float]:
    """The result of ``call()`` and the seconds it took."""
    started = time.perf_counter()
    value = call()
    return value, time.perf_counter() - started
