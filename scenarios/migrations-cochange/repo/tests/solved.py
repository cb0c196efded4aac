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
    'T001': [('migrations/versions/0004_order_notes.py', 'upgrade'), ('migrations/versions/0004_order_notes.py', 'downgrade')],
    'T002': [],
    'T003': [('migrations/versions/0005_customer_phone.py', 'upgrade'), ('migrations/versions/0005_customer_phone.py', 'downgrade')],
    'T004': [],
    'T005': [],
    'T006': [('src/shop/models/order.py', 'total_with_tax')],
    'T007': [('scripts/seed_demo.py', 'main')],
    'T008': [('migrations/versions/0006_customer_full_name.py', 'upgrade'), ('migrations/versions/0006_customer_full_name.py', 'downgrade')],
    'T009': [('src/shop/api/routes.py', 'cancel_order'), ('src/shop/services/orders.py', 'cancel_order')],
    'T010': [('src/shop/money.py', 'format_cents')],
    'T011': [('migrations/versions/0007_orders_created_at_index.py', 'upgrade'), ('migrations/versions/0007_orders_created_at_index.py', 'downgrade')],
    'T012': [('migrations/versions/0008_refunded_status.py', 'upgrade'), ('migrations/versions/0008_refunded_status.py', 'downgrade')],
    'T013': [],
    'T014': [('src/shop/api/routes.py', 'list_orders'), ('src/shop/api/schemas.py', 'OrderPage')],
    'T015': [('migrations/versions/0009_order_currency.py', 'upgrade'), ('migrations/versions/0009_order_currency.py', 'downgrade')],
    'T016': [],
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
