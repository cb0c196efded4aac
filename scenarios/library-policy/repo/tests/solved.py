"""Is the task named by ``CHARTER_TASK_ID`` solved in this tree? (``charter sim``'s
success test: ``python3 tests/solved.py``, exit 0 when solved.)

Standard library only, so it runs in any sandbox without the project's dependencies:

1. every Python file parses;
2. no module uses a name it never binds (an import a repair dropped while the code
   still calls it, a helper reverted away);
3. the task's feature is there: the functions and classes its accepted change adds.
"""

from __future__ import annotations

import ast
import builtins
import os
import sys
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Per task: (file, name) of what a correct solution defines.
TASKS: dict[str, list[tuple[str, str]]] = {
    'T001': [('src/weatherkit/client.py', 'forecast'), ('src/weatherkit/forecast.py', 'forecast')],
    'T002': [('src/weatherkit/cache.py', 'load'), ('src/weatherkit/cache.py', 'store')],
    'T003': [],
    'T004': [],
    'T005': [],
    'T006': [('src/weatherkit/units.py', 'c_to_f'), ('src/weatherkit/units.py', 'kph_to_beaufort')],
    'T007': [],
    'T008': [],
    'T009': [('src/weatherkit/client.py', 'with_timeout')],
    'T010': [('src/weatherkit/aio.py', 'AsyncWeatherClient'), ('src/weatherkit/aio.py', 'current_raw')],
    'T011': [('src/weatherkit/session.py', 'restore'), ('src/weatherkit/session.py', 'save')],
    'T012': [('src/weatherkit/client.py', 'rate_limit')],
    'T013': [('src/weatherkit/alerts.py', 'alerts')],
    'T014': [('src/weatherkit/client.py', 'current')],
    'T015': [],
    'T016': [('src/weatherkit/models.py', 'is_daytime')],
    'T017': [],
}


def _bound(tree: ast.AST) -> set[str]:
    names = set(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__"}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
    return names


def _defines(tree: ast.AST, name: str) -> bool:
    return any(
        isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == name
        for n in ast.walk(tree)
    )


class Solved(unittest.TestCase):
    def test_every_module_parses_and_binds_the_names_it_uses(self) -> None:
        for path in sorted(ROOT.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            if any(isinstance(n, ast.ImportFrom) and "*" in [a.name for a in n.names]
                   for n in ast.walk(tree)):
                continue  # a star import binds names this check cannot see
            bound = _bound(tree)
            used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
            self.assertEqual(sorted(used - bound), [], f"{path.relative_to(ROOT)}: unbound")

    def test_the_task_adds_its_feature(self) -> None:
        task = os.environ.get("CHARTER_TASK_ID", "")
        for rel, name in TASKS.get(task, []):
            path = ROOT / rel
            self.assertTrue(path.is_file(), f"{task}: {rel} is missing")
            tree = ast.parse(path.read_text(encoding="utf-8"), rel)
            self.assertTrue(_defines(tree, name), f"{task}: {rel} does not define {name}")


if __name__ == "__main__":
    sys.exit(0 if unittest.main(exit=False, verbosity=0).result.wasSuccessful() else 1)
