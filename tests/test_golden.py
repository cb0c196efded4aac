"""Every JSON output on the shipped examples, byte for byte as recorded.

The recorded outputs (``tests/data/golden/``) were made by the code before the
refactor of issue 11; a refactor that changes no behaviour leaves them as they are.
Only the temporary repository's path is normalised (to ``<ROOT>``). After an intended
change of output, record them again with ``UPDATE_GOLDEN=1`` and review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from support.repo import EXAMPLES, REPO, Charter, commit_all, git

GOLDEN = REPO / "tests" / "data" / "golden"
# The breaking change examples/demo.sh stages: a layer crossed, a banned API used.
BREAKING = """

@router.get("/invoices/{number}")
def get_invoice(number: str) -> dict[str, str]:
    import datetime

    from invoicing.db.session import session
    from invoicing.db.tables import InvoiceRow

    with session() as db:
        row = db.get(InvoiceRow, number)
    return {"number": row.number, "checked": datetime.datetime.now().isoformat()}
"""
COMMIT_MESSAGE = "Show one invoice\n\nCharter-Waive: NOPE-0001 -- no such decision\n"
CONTEXT_QUERIES = {
    "orders": ("src/storefront/api/orders.py",),
    "money-task": ("src/storefront/domain/money.py", "--task", "round a price to cents"),
    "task-only": ("--task", "add a payment provider", "--top", "3"),
}


def _copy(example: str, tmp_path: Path) -> Path:
    """A committed copy of ``examples/<example>`` in a fresh git repository."""
    root = tmp_path / example
    shutil.copytree(EXAMPLES / example, root)
    git(root, "init", "-q")
    commit_all(root, f"{example} as shipped")
    return root


def _compare(name: str, code: int, output: str, root: Path) -> None:
    text = f"exit {code}\n" + output.replace(root.as_posix(), "<ROOT>")
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} differs from the recording"


@pytest.mark.usefixtures("git_identity")
def test_invoicing_outputs_are_as_recorded(
    charter: Charter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy("invoicing", tmp_path)
    monkeypatch.chdir(root)
    runs = {
        "invoicing-config.json": ("config", "--json"),
        "invoicing-check-all.json": ("check", "--all", "--format", "json"),
        "invoicing-check-all.sarif": ("check", "--all", "--format", "sarif"),
    }
    for name, args in runs.items():
        code, out, _ = charter(*args)
        _compare(name, code, out, root)

    with (root / "src/invoicing/api/routes.py").open("a", encoding="utf-8") as handle:
        handle.write(BREAKING)
    git(root, "add", "-A")
    (root / ".git" / "COMMIT_EDITMSG").write_text(COMMIT_MESSAGE, encoding="utf-8")
    staged = {
        "invoicing-staged.json": ("check", "--staged", "--format", "json"),
        "invoicing-staged.sarif": ("check", "--staged", "--format", "sarif"),
        "invoicing-staged.txt": ("check", "--staged"),
        "invoicing-staged-all.json": ("check", "--staged", "--all", "--format", "json"),
        "invoicing-commit-msg.json": ("commit-msg", ".git/COMMIT_EDITMSG", "--format", "json"),
        "invoicing-commit-msg.txt": ("commit-msg", ".git/COMMIT_EDITMSG"),
    }
    for name, args in staged.items():
        code, out, _ = charter(*args)
        _compare(name, code, out, root)


def test_storefront_context_is_as_recorded(
    charter: Charter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy("storefront", tmp_path)
    monkeypatch.chdir(root)
    for name, args in CONTEXT_QUERIES.items():
        code, out, _ = charter("context", *args, "--format", "json")
        _compare(f"storefront-context-{name}.json", code, out, root)
    code, out, _ = charter("check", "--all", "--format", "json")
    _compare("storefront-check-all.json", code, out, root)


def test_schema_and_broken_decisions_are_as_recorded(charter: Charter, tmp_path: Path) -> None:
    code, out, _ = charter("schema")
    _compare("schema.json", code, out, tmp_path)
    root = _copy("broken", tmp_path)
    code, out, err = charter("validate", "--root", root)
    _compare("broken-validate.txt", code, out + err, root)


@pytest.mark.usefixtures("git_identity")
def test_commit_msg_on_a_governed_change_is_as_recorded(
    charter: Charter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An applied migration edited, no changelog, and a decision retired."""
    root = _copy("invoicing", tmp_path)
    monkeypatch.chdir(root)
    with (root / "migrations/0001_create_invoices.sql").open("a", encoding="utf-8") as handle:
        handle.write("-- widened\n")
    record = root / "docs/decisions/0010-money.md"
    record.write_text(
        record.read_text(encoding="utf-8").replace("status: accepted", "status: deprecated", 1),
        encoding="utf-8",
    )
    git(root, "add", "-A")
    messages = {
        "plain": "Widen invoices\n",
        "waived": "Widen invoices\n\nCharter-Waive: ADR-0005 -- a typo in a comment\n"
        "Charter-Approved-By: Lead <lead@example.invalid>\n",
    }
    for name, text in messages.items():
        (root / ".git" / "COMMIT_EDITMSG").write_text(text, encoding="utf-8")
        for suffix, extra in (("json", ("--format", "json")), ("txt", ())):
            code, out, _ = charter("commit-msg", ".git/COMMIT_EDITMSG", *extra)
            _compare(f"invoicing-governed-{name}.{suffix}", code, out, root)
    code, out, _ = charter("check", "--staged", "--format", "json")
    _compare("invoicing-governed-staged.json", code, out, root)
