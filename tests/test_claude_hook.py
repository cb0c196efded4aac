"""``charter hook claude``: Claude Code's PreToolUse payloads, judged before the edit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support.app import write_app
from support.repo import decision, write_decision, write_file


@pytest.fixture
def app(repo: Path) -> Path:
    write_app(
        repo,
        {
            "app/api/views.py": "from app.services import billing\n\nX = 1\n",
            "app/api/legacy.py": "from app.db import models\n\nY = 1\n",
            "app/services/billing.py": "X = 1\n",
        },
    )
    return repo


def hook(payload: dict[str, Any] | str, cwd: Path) -> tuple[int, str, str]:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    result = subprocess.run(
        [sys.executable, "-m", "charter.hooks", "hook", "claude"],
        input=text,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.returncode, result.stdout, result.stderr


def payload(tool: str, root: Path, tool_input: dict[str, Any]) -> dict[str, Any]:
    return {
        "session_id": "abc123",
        "transcript_path": str(root / "transcript.jsonl"),
        "cwd": str(root),
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": tool,
        "tool_input": tool_input,
    }


def test_edit_introducing_a_violation_is_blocked_with_the_remedy(app: Path) -> None:
    views = app / "app/api/views.py"
    before = views.read_text()
    edit = {
        "file_path": str(views),
        "old_string": "from app.services import billing\n",
        "new_string": "from app.db import models\nfrom app.services import billing\n",
    }
    code, _, err = hook(payload("Edit", app, edit), app)
    assert code == 2
    assert "app/api/views.py:1:1: ADR-0001 [forbid-import] Handlers must not touch" in err
    assert "remedy: Call a service from app.services instead." in err
    assert "decision: docs/decisions/0001-api-db.md" in err
    assert views.read_text() == before  # the hook never writes


def test_a_violation_already_in_the_file_does_not_block(app: Path) -> None:
    edit = {
        "file_path": str(app / "app/api/legacy.py"),
        "old_string": "Y = 1",
        "new_string": "Y = 2",
    }
    assert hook(payload("Edit", app, edit), app) == (0, "", "")


def test_a_second_copy_of_an_existing_violation_is_new(app: Path) -> None:
    edit = {
        "file_path": str(app / "app/api/legacy.py"),
        "old_string": "Y = 1\n",
        "new_string": "Y = 1\nimport app.db.models\n",
    }
    assert hook(payload("Edit", app, edit), app)[0] == 2


def test_write_of_a_new_file(app: Path) -> None:
    new = app / "app/api/orders.py"
    bad = {"file_path": str(new), "content": "import app.db\n"}
    code, _, err = hook(payload("Write", app, bad), app)
    assert code == 2 and "app/api/orders.py:1:1: ADR-0001" in err
    good = {"file_path": str(new), "content": "from app.services import billing\n"}
    assert hook(payload("Write", app, good), app) == (0, "", "")
    assert not new.exists()


def test_multi_edit_applies_every_edit_in_order(app: Path) -> None:
    edits = [
        {"old_string": "X = 1", "new_string": "X = 2"},
        {"old_string": "X = 2", "new_string": "from app.db import models\nX = 3"},
    ]
    tool_input = {"file_path": str(app / "app/api/views.py"), "edits": edits}
    code, _, err = hook(payload("MultiEdit", app, tool_input), app)
    assert code == 2 and "ADR-0001" in err
    tool_input["edits"] = edits[:1]
    assert hook(payload("MultiEdit", app, tool_input), app) == (0, "", "")


def test_replace_all_and_relative_paths(app: Path) -> None:
    write_file(app, "app/api/twice.py", "A = 1\nB = 1\n")
    tool_input = {
        "file_path": "app/api/twice.py",
        "old_string": "1",
        "new_string": "1\nimport app.db",
        "replace_all": True,
    }
    code, _, err = hook(payload("Edit", app, tool_input), app)
    assert code == 2 and err.count("ADR-0001 [forbid-import]") == 2


@pytest.mark.parametrize(
    ("tool", "tool_input"),
    [
        ("Bash", {"command": "rm -rf /"}),
        ("Read", {"file_path": "app/api/views.py"}),
        ("Edit", {"file_path": "README.md", "old_string": "", "new_string": "# Hi\n"}),
        ("Edit", {"file_path": "app/api/views.py", "old_string": "nowhere", "new_string": "x"}),
        ("Write", {"file_path": "OUTSIDE", "content": "import app.db\n"}),
    ],
    ids=["other-tool", "read", "non-python-file", "edit-does-not-apply", "outside-repo"],
)
def test_what_passes(app: Path, tool: str, tool_input: dict[str, Any], tmp_path: Path) -> None:
    if tool_input.get("file_path") == "OUTSIDE":
        tool_input = {**tool_input, "file_path": str(tmp_path / "elsewhere" / "x.py")}
    assert hook(payload(tool, app, tool_input), app) == (0, "", "")


def test_a_broken_decision_does_not_block_the_agent(app: Path) -> None:
    write_decision(app, "0002-broken.md", decision("ADR-0002", status="acceptd"))
    edit = {"file_path": str(app / "app/api/views.py"), "old_string": "X = 1", "new_string": "X"}
    code, _, err = hook(payload("Edit", app, edit), app)
    assert code == 1  # shown to the user, not a block
    assert "cannot check this edit" in err and "0002-broken.md" in err


def test_input_that_is_not_json_is_reported(app: Path) -> None:
    code, _, err = hook("not json", app)
    assert code == 1 and "not JSON" in err


def test_the_edits_changes_are_those_of_the_whole_tree_compared(app: Path) -> None:
    """The hook computes an edit's changes from the edited paths alone; they must be what
    comparing every file of the tree with the edited tree gives (governance reads them)."""
    from charter.hooks.agents.change import _edited
    from charter.hooks.source.changes import changes
    from charter.hooks.source.snapshot import Overlay, WorkTree

    (app / ".gitignore").write_text("ignored.py\n")
    write_file(app, "ignored.py", "X = 1\n")
    edits: dict[str, bytes | None] = {
        "app/api/views.py": b"X = 2\n",  # modified
        "app/api/legacy.py": (app / "app/api/legacy.py").read_bytes(),  # unchanged
        "app/db/models.py": None,  # deleted
        "app/api/new.py": b"Y = 1\n",  # added
        "ignored.py": b"X = 3\n",  # not in the tree: added
        "app/gone.py": None,  # deleting what does not exist changes nothing
    }
    tree = WorkTree(app)
    expected = [c for c in changes(tree, Overlay(tree, edits)) if c.path in edits]
    assert _edited(WorkTree(app), edits) == expected
    assert {c.status for c in expected} == {"added", "modified", "deleted"}
