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
    "reused": "compiled now" if compiled.package("__main__").dirty else "from the file",
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
    store = tmp_path / "methods.marshal"
    earlier = methods._Package(store)
    for n in range(5):
        exec(earlier.code(f"x{n} = {n}"), {})
    earlier.save()
    now = methods._Package(store)
    assert list(now.codes) == ["x2 = 2", "x3 = 3", "x4 = 4"], "the least recently used go"
    now.code("x2 = 2")  # reused, so kept after the next run's new text
    now.code("y = 1")
    now.save()
    assert list(methods._Package(store).codes) == ["x4 = 4", "x2 = 2", "y = 1"]


def test_each_package_keeps_its_records_methods_in_a_file_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from charter.hooks import methods

    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    compiled = methods._Compiled(tmp_path)
    compiled.exec("a = 1", {"__name__": "charter.hooks.engine"})
    compiled.exec("b = 2", {"__name__": "libcst._nodes.base"})
    compiled.exec("c = 3", {})
    compiled.save()
    kept = sorted(path.name.split(".")[2] for path in tmp_path.glob("methods.*.marshal"))
    assert kept == ["_", "charter", "libcst"]
    again = methods._Compiled(tmp_path)
    assert list(again.package("charter").codes) == ["a = 1"]  # a hook never reads libcst's
    assert "libcst" not in again.packages
