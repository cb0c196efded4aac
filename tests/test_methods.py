"""The methods of records come compiled from an earlier run (hooks/methods.py), unchanged."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
