"""Charter's own architecture (docs/decisions/) holds on its own code.

Until the constraint engine enforces the decisions, this test checks CH-0002 directly:
no module under hooks/ imports charter.simulator, not even inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def test_engine_never_imports_simulator() -> None:
    offending = [
        f"{path.relative_to(REPO)}:{line}: {name}"
        for path in sorted((REPO / "hooks").rglob("*.py"))
        for line, name in _imports(path)
        if name == "charter.simulator" or name.startswith("charter.simulator.")
    ]
    assert offending == []


def test_charter_validates_its_own_decisions() -> None:
    from charter.hooks.cli import main

    assert main(["validate", "--strict", "--root", str(REPO)]) == 0
