"""grimp's Rust scanner without grimp's start-up, and grimp whole for whoever asks next."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from grimp.domain import valueobjects

from charter.hooks.source import native, rustgrimp
from charter.hooks.source.modules import module_name

SCAN = """
import json, os, sys
os.environ["CHARTER_NATIVE"] = "1"
from charter.hooks.source import native
jobs = {
    "app/__init__.py": native.Job("app", True, "import os\\nfrom app import views\\n"),
    "app/views.py": native.Job("app.views", False, "import json\\nfrom . import db\\n"),
}
found = native.scan(jobs)
report = {
    "lines": {path: [i.line for i in imports] for path, imports in sorted(found.items())},
    "loaded": sorted(m for m in sys.modules if m.startswith("grimp")),
    "logging": "logging" in sys.modules,
}
"""


def _run(code: str) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    answer: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    return answer


def test_the_scan_imports_only_the_scanner_and_its_records() -> None:
    report = _run(SCAN + "print(json.dumps(report))")
    assert report["lines"] == {"app/__init__.py": [1, 2], "app/views.py": [1, 2]}
    assert report["loaded"] == [
        "grimp",
        "grimp._rustgrimp",
        "grimp.application",
        "grimp.application.ports",
        "grimp.application.ports.filesystem",
        "grimp.application.ports.modulefinder",
        "grimp.domain",
        "grimp.domain.valueobjects",
    ]
    assert report["logging"] is False  # grimp's __init__ (its graph, its caching) never ran


def test_grimp_is_whole_for_a_program_that_uses_it_after_the_scan(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from pkg import b\n")
    (tmp_path / "pkg" / "b.py").write_text("import json\n")
    after = f"""
sys.path.insert(0, {str(tmp_path)!r})
import grimp
from grimp import ImportGraph
from importlib.metadata import version
graph = grimp.build_graph("pkg", cache_dir=None)
report["after"] = [
    grimp.__version__ == version("grimp"),
    isinstance(graph, ImportGraph),
    sorted(graph.find_modules_directly_imported_by("pkg")),
    hasattr(grimp, "no_such_name"),
]
print(json.dumps(report))
"""
    report = _run(SCAN + after)
    assert report["lines"] == {"app/__init__.py": [1, 2], "app/views.py": [1, 2]}
    assert report["after"] == [True, True, ["pkg.b"], False]


def test_grimp_imported_before_is_used_as_it_is() -> None:
    report = _run("import grimp\n" + SCAN + "print(json.dumps(report))")
    assert report["lines"] == {"app/__init__.py": [1, 2], "app/views.py": [1, 2]}
    assert "grimp.application.graph" in report["loaded"]


def _charter_jobs() -> dict[str, native.Job]:
    """Charter's own modules (real code: relative imports, guards, nested imports)."""
    hooks = Path(__file__).resolve().parents[1] / "hooks"
    jobs = {}
    for path in sorted(hooks.rglob("*.py")):
        name = module_name("charter/hooks/" + path.relative_to(hooks).as_posix())
        if name is not None:
            jobs[name] = native.Job(name, path.name == "__init__.py", path.read_text())
    return jobs


def test_plain_answers_locate_what_grimps_own_records_locate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While grimp's scan answers in plain strings, every import is on the line, of the
    module, that grimp's own records give; its value objects are its own again after,
    and scans on two threads at once each get their own answer."""
    jobs = _charter_jobs()
    plain = native._grimp_scan(jobs, exclude_type_checking=False)
    assert valueobjects.Module is not str and isinstance(valueobjects.Module, type)
    assert valueobjects.DirectImport.__name__ == "DirectImport"
    with ThreadPoolExecutor(2) as pool:
        both = list(pool.map(lambda rule: native._grimp_scan(jobs, rule), (False, True)))
    monkeypatch.setattr(rustgrimp, "plain_answers", _own_records)
    own = native._grimp_scan(jobs, exclude_type_checking=False)
    assert plain == own == both[0]
    assert sum(len(lines) for lines in own.values()) > 1000
    assert both[1] == native._grimp_scan(jobs, exclude_type_checking=True) != own


@contextlib.contextmanager
def _own_records(light: bool = True) -> Iterator[tuple[Any, Any, Any]]:
    yield rustgrimp.scan_arguments()


def test_light_argument_records_scan_as_grimps_own(monkeypatch: pytest.MonkeyPatch) -> None:
    """grimp's Rust code reads the named tuples Charter gives it as it reads its own
    frozen dataclasses; a grimp that refuses them is given its own, once and for all."""
    jobs = _charter_jobs()
    monkeypatch.setattr(native, "_LIGHT", [True])
    light = native._grimp_scan(jobs, exclude_type_checking=False)
    own = native._scanned(jobs, exclude_type_checking=False, light=False)
    assert light == own and sum(len(lines) for lines in own.values()) > 1000
    assert native._LIGHT == [True]

    class Refused(NamedTuple):  # no ``directory``: grimp cannot read it as a package
        name: str
        where: str
        module_files: frozenset[Any]

    _, file, module = rustgrimp.light_arguments()
    monkeypatch.setattr(rustgrimp, "light_arguments", lambda: (Refused, file, module))
    assert native._grimp_scan(jobs, exclude_type_checking=False) == own
    assert native._LIGHT == [False]
