"""The simulator's drift measures, read in a real (local) sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from charter.simulator import architecture
from charter.simulator.records import Architecture
from charter.simulator.sandbox.local import LocalSandbox
from charter.simulator.workspace import WORK, Workspace

FILES = {
    "src/app/a.py": "import os  # charter: allow ADR-0001 -- the legacy loader\n",
    "migrations/0002.sql": "DROP TABLE t; -- charter: allow ADR-0005 -- an empty table\n",
    "web/app.ts": "eval(x); // charter: allow ADR-0009 -- a sandboxed script\n",
    "src/app/b.py": 'TEXT = "# charter: allow ADR-0001 -- a string, not a comment"\n',
}


@contextmanager
def staged(root: Path, files: dict[str, str]) -> Iterator[Workspace]:
    """A workspace in a local sandbox whose index holds ``files``."""
    source = root / "repo"
    for rel, text in files.items():
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_text(text, encoding="utf-8")
    sandbox = LocalSandbox("drift")
    try:
        sandbox.put_dir(source, WORK)
        workspace = Workspace(sandbox)
        workspace.git("init", "-q", "-b", "main")
        workspace.git("add", "-A")
        yield workspace
    finally:
        sandbox.close()


def test_drift_counts_the_waivers_of_every_comment_syntax(tmp_path: Path) -> None:
    with staged(tmp_path, FILES) as workspace:
        assert workspace.waivers() == 3  # '#', '--' and '//'; a Python string is no comment


TREE = {
    "src/app/__init__.py": "",
    "src/app/api/__init__.py": "from . import views\n",
    "src/app/api/views.py": "from ..db import models\nimport json\n",
    "src/app/db/__init__.py": "",
    "src/app/db/models.py": "def f():\n    from app.api.views import render\n",
    "src/app/util.py": "import app.db\n",
    "scripts/tool.py": "import app.api\n",  # outside any package: no module
    "src/app/broken.py": "def (:\n",
}


def test_architecture_is_measured_from_the_committed_tree_without_a_rule(
    tmp_path: Path,
) -> None:
    with staged(tmp_path, TREE) as workspace:
        workspace.git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "tree")
        files = workspace.python_files()
    assert sorted(files) == sorted(TREE)
    found = architecture.measure(files)
    # Modules: app, app.api, app.api.views, app.db, app.db.models, app.util, app.broken.
    # Edges: app.api -> views; views -> models (relative); models -> views (in a
    # function: still an import); util -> app.db. The cycle: views <-> models.
    # Units (the root's children): app.api <-> app.db both ways (layer-breaking), and
    # app.util -> app.db; instability: api 1/2, db 1/3, util 1/1.
    assert found == Architecture(
        modules=7,
        import_edges=4,
        cycle_edges=2,
        unit_edges=3,
        layer_breaking_edges=2,
        instability=round((1 / 2 + 1 / 3 + 1) / 3, 4),
        unparsed=1,
    )
