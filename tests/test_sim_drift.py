"""The simulator's drift measures, read in a real (local) sandbox."""

from __future__ import annotations

from pathlib import Path

from charter.simulator.sandbox.local import LocalSandbox
from charter.simulator.workspace import WORK, Workspace

FILES = {
    "src/app/a.py": "import os  # charter: allow ADR-0001 -- the legacy loader\n",
    "migrations/0002.sql": "DROP TABLE t; -- charter: allow ADR-0005 -- an empty table\n",
    "web/app.ts": "eval(x); // charter: allow ADR-0009 -- a sandboxed script\n",
    "src/app/b.py": 'TEXT = "# charter: allow ADR-0001 -- a string, not a comment"\n',
}


def test_drift_counts_the_waivers_of_every_comment_syntax(tmp_path: Path) -> None:
    source = tmp_path / "repo"
    for rel, text in FILES.items():
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_text(text, encoding="utf-8")
    sandbox = LocalSandbox("drift")
    try:
        sandbox.put_dir(source, WORK)
        workspace = Workspace(sandbox)
        workspace.git("init", "-q", "-b", "main")
        workspace.git("add", "-A")
        assert workspace.waivers() == 3  # '#', '--' and '//'; a Python string is no comment
    finally:
        sandbox.close()
