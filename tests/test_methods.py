"""The methods of records come compiled from an earlier run (hooks/methods.py), unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROGRAM = """
import dataclasses, json
import charter.hooks.engine
library_patched = getattr(dataclasses, "exec", None) is not None
from charter.hooks import methods
methods.install()  # as the charter command does
from charter.hooks.findings import Finding

@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    y: tuple[int, ...] = ()
    z: frozenset[int] = dataclasses.field(default_factory=frozenset)

p = Point(1)
try:
    p.x = 2
    frozen = False
except dataclasses.FrozenInstanceError:
    frozen = True
compiled = getattr(dataclasses, "exec").__self__
print(json.dumps({
    "repr": repr(p), "eq": p == Point(1, (), frozenset()), "hash": hash(p) == hash(Point(1)),
    "frozen": frozen, "replace": repr(dataclasses.replace(p, y=(3,))),
    "finding": Finding.__init__.__code__.co_varnames[:3],
    "library_patched": library_patched,
    "reused": "compiled now" if compiled.dirty else "from the file",
}))
"""


def _run(prefix: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(prefix)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_records_made_from_kept_methods_behave_as_freshly_compiled_ones(tmp_path: Path) -> None:
    first = _run(tmp_path)
    assert list(tmp_path.rglob("methods.*.marshal")), "the compiled methods are kept"
    second = _run(tmp_path)
    assert (first.pop("reused"), second.pop("reused")) == ("compiled now", "from the file")
    assert first == second
    assert first["repr"] == "Point(x=1, y=(), z=frozenset())"
    assert first["replace"] == "Point(x=1, y=(3,), z=frozenset())"
    assert first["eq"] and first["hash"] and first["frozen"]
    assert first["library_patched"] is False, "importing Charter as a library patches nothing"


def test_the_kept_file_is_bounded_and_keeps_what_this_run_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from charter.hooks import methods

    monkeypatch.setattr(methods, "MAX_ENTRIES", 3)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    store = tmp_path / "methods.marshal"
    earlier = methods._Compiled(store)
    for n in range(5):
        earlier.exec(f"x{n} = {n}", {})
    earlier.save()
    now = methods._Compiled(store)
    assert list(now.codes) == ["x2 = 2", "x3 = 3", "x4 = 4"], "the least recently used go"
    now.exec("x2 = 2", {})  # reused, so kept after the next run's new text
    now.exec("y = 1", {})
    now.save()
    assert list(methods._Compiled(store).codes) == ["x4 = 4", "x2 = 2", "y = 1"]
