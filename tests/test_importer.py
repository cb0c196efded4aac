"""A ``python`` check's code is imported from the snapshot judged, never the disk."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pytest
from support.memory import MemorySnapshot

from charter.hooks.source.importer import served


def _import(name: str) -> object:
    return importlib.import_module(name)


def test_a_module_is_read_from_the_snapshot_not_the_disk(tmp_path: Path) -> None:
    (tmp_path / "teamcheck").mkdir()
    (tmp_path / "teamcheck/__init__.py").write_text("")
    (tmp_path / "teamcheck/rules.py").write_text("VERDICT = 'from the disk'\n")
    snapshot = MemorySnapshot(
        {"teamcheck/__init__.py": "", "teamcheck/rules.py": "VERDICT = 'staged'\n"},
        root=tmp_path,
    )
    with served(snapshot, (".",), {}):
        assert _import("teamcheck.rules").VERDICT == "staged"  # type: ignore[attr-defined]
    assert "teamcheck" not in sys.modules and "teamcheck.rules" not in sys.modules


def test_a_submodule_only_on_disk_is_missing(tmp_path: Path) -> None:
    (tmp_path / "teamcheck").mkdir()
    (tmp_path / "teamcheck/extra.py").write_text("X = 1\n")
    snapshot = MemorySnapshot({"teamcheck/__init__.py": ""}, root=tmp_path)
    with served(snapshot, (".",), {}), pytest.raises(ModuleNotFoundError):
        _import("teamcheck.extra")


def test_source_roots_and_package_folders_are_searched(tmp_path: Path) -> None:
    snapshot = MemorySnapshot(
        {
            "src/teamapp/__init__.py": "",
            "src/teamapp/money.py": "from teamlib.words import WORD\nRULE = WORD\n",
            "lib/words.py": "WORD = 'amount'\n",
            "lib/__init__.py": "",
        },
        root=tmp_path,
    )
    with served(snapshot, ("src",), {"teamlib": "lib"}):
        assert _import("teamapp.money").RULE == "amount"  # type: ignore[attr-defined]


def test_a_namespace_folder_serves_its_modules(tmp_path: Path) -> None:
    snapshot = MemorySnapshot({"teamtools/checks.py": "OK = True\n"}, root=tmp_path)
    with served(snapshot, ("src",), {}):
        assert _import("teamtools.checks").OK is True  # type: ignore[attr-defined]


def test_each_snapshot_loads_its_own_copy_and_the_process_keeps_its_modules(
    tmp_path: Path,
) -> None:
    first = MemorySnapshot({"teamcheck.py": "N = 1\n"}, root=tmp_path)
    files = {"teamcheck.py": "N = 2\n", "json/__init__.py": "", "charter/__init__.py": "X = 1"}
    second = MemorySnapshot(files, root=tmp_path)
    engine = sys.modules["charter.hooks"]
    with served(first, (".",), {}):
        assert _import("teamcheck").N == 1  # type: ignore[attr-defined]
    with served(second, (".",), {}):
        assert _import("teamcheck").N == 2  # type: ignore[attr-defined]
        assert _import("charter.hooks") is engine  # the running Charter is never replaced
    assert sys.modules["json"] is json
