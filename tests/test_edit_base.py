"""An edit is judged against the tree it is laid over without judging that tree whole.

The Claude hook and the MCP server compare the tree with an edit against the tree
without it. A file the edit leaves alone has the same findings in both, so only the
edited files, the import graph and the ``python`` checks are judged again on the tree
(``engine.run_beneath``); these tests hold it to what judging the tree whole gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.app import write_app
from support.memory import MemorySnapshot
from support.repo import commit_all, decision, write_decision, write_file

from charter.hooks import engine, settings
from charter.hooks.agents.change import introduced
from charter.hooks.decisions.compile import load_active
from charter.hooks.source.cache import Cache
from charter.hooks.source.snapshot import Overlay, WorkTree, blob_id

pytestmark = pytest.mark.usefixtures("git_identity")

EVERY_READ = decision(
    "ADR-0002",
    extra="""
    constraints:
      - kind: layers
        layers: [app.api, app.services, app.db]
      - kind: banned-api
        names: [pickle.loads]
      - kind: forbid-pattern
        pattern: "TODO"
        message: Track work in the issue tracker.
    """,
)
FILES = {
    "app/api/views.py": "from app.services import billing\n\nX = 1\n",
    "app/api/legacy.py": "import pickle\n\nY = pickle.loads(b'')  # TODO\n",
    "app/services/billing.py": "from app.db import models\n",
    "app/db/broken.py": "def (:\n",  # a syntax error no edit touches
    "app/db/old.py": "import pickle\nZ = pickle.loads(b'')\n",
    "app/services/report.py": "from app.api import views\n",  # against the layers
}


@pytest.fixture
def app(repo: Path) -> Path:
    write_app(repo, FILES)
    write_decision(repo, "0002-every-read.md", EVERY_READ)
    commit_all(repo, "initial")
    return repo


def _both(root: Path, edits: dict[str, bytes | None]) -> tuple[set[str], set[str]]:
    """The fingerprints of the tree's findings: judged whole, and beneath the edit."""
    loaded, _ = settings.load(root)
    active = load_active(loaded)
    tree = WorkTree(root)
    cache = Cache(root / loaded.cache_dir)
    whole, _ = engine.run(tree, active, loaded, cache)
    proposed = Overlay(tree, edits)
    found, view = engine.run(proposed, active, loaded, cache)
    beneath = engine.run_beneath(tree, proposed.changed, active, view, found)
    return {f.fingerprint for f in whole}, {f.fingerprint for f in beneath}


@pytest.mark.parametrize(
    "edits",
    [
        pytest.param({"app/db/old.py": b"import pickle\n"}, id="a violation removed"),
        pytest.param({"app/db/old.py": b"from app.api import views\n"}, id="a new layer import"),
        pytest.param({"app/db/broken.py": b"X = 1\n"}, id="a syntax error repaired"),
        pytest.param({"app/api/views.py": b"def (:\n"}, id="a syntax error made"),
        pytest.param({"app/api/new.py": b"import pickle\npickle.loads(b'')\n"}, id="a file added"),
        pytest.param({"app/api/legacy.py": None}, id="a file deleted"),
    ],
)
def test_the_tree_beneath_an_edit_has_the_findings_of_the_whole_tree(
    app: Path, edits: dict[str, bytes | None]
) -> None:
    whole, beneath = _both(app, edits)
    assert beneath == whole
    assert len(whole) >= 5  # every kind of read found something to compare


def test_an_edit_is_blocked_only_for_what_it_adds(app: Path) -> None:
    loaded, _ = settings.load(app)
    cycle = b"from app.api import views\nimport pickle\nZ = pickle.loads(b'')  # TODO\n"
    report = introduced(loaded, {"app/db/old.py": cycle})
    assert [(f.kind, f.path, f.line) for f in report.ordered()] == [
        ("layers", "app/db/old.py", 1),
        ("forbid-pattern", "app/db/old.py", 3),
    ]
    write_file(app, "app/db/old.py", cycle.decode())  # the agent's edit, written
    assert introduced(loaded, {"app/db/old.py": cycle}).ordered() == []


def test_an_overlay_lists_the_base_files_with_its_own_added_and_deleted() -> None:
    base = MemorySnapshot({"b/x.py": b"", "b/y.py": b"", "c.py": b""})
    edits: dict[str, bytes | None] = {
        "a.py": b"",  # before every file
        "b/x.py": None,  # deleted
        "b/xa.py": b"",  # between two files
        "b/y.py": b"Y = 1\n",  # modified: listed as it was
        "d.py": b"",  # after every file
        "gone.py": None,  # deleting what does not exist changes nothing
    }
    assert Overlay(base, edits).files() == ["a.py", "b/xa.py", "b/y.py", "c.py", "d.py"]
    assert Overlay(base, {"c.py": b"C = 1\n"}).files() == base.files()
    assert base.files() == ["b/x.py", "b/y.py", "c.py"]  # the base's list is left alone


def test_the_work_tree_lists_what_is_on_disk_and_not_ignored(app: Path) -> None:
    """The tree an edit is laid over: tracked files (their ids as on disk), untracked
    ones, and neither deleted nor ignored ones."""
    (app / ".gitignore").write_text("ignored.py\n")
    write_file(app, "ignored.py", "X = 1\n")
    write_file(app, "app/api/untracked.py", "U = 1\n")
    write_file(app, "app/api/views.py", "X = 2\n")  # modified
    (app / "app/db/old.py").unlink()  # deleted
    tree = WorkTree(app)
    files = tree.files()
    assert "app/api/untracked.py" in files and ".gitignore" in files
    assert "ignored.py" not in files and "app/db/old.py" not in files
    for rel in ("app/api/views.py", "app/api/untracked.py", "app/api/legacy.py"):
        assert tree.content_id(rel) == blob_id((app / rel).read_bytes())
