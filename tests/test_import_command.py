"""``charter import importlinter|tach``: real configurations convert and keep their verdicts.

Three public projects that use import-linter (their sdists, downloaded once and cached:
see ``support/sdists.py``) are converted as they ship, where every contract is kept in
both tools, and again after one import that breaks a contract, where both must say
broken. ``tach`` runs for real on a small project.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support.parity import LINT_IMPORTS, Charter
from support.repo import write_file
from support.sdists import copy_project, sdist

# (sdist, version, contracts, the file to edit, the import that breaks, the contract it breaks)
PROJECTS = [
    pytest.param(
        "kedro",
        "1.7.0",
        4,
        "kedro/config/__init__.py",
        "import kedro.runner\n",
        "Config cannot import Runner et al",
        id="kedro",
    ),
    pytest.param(
        "sqlfluff",
        "4.5.0",
        4,
        "src/sqlfluff/api/__init__.py",
        "import sqlfluff.cli\n",
        "API may not depend on CLI",
        id="sqlfluff",
    ),
    pytest.param(
        "import-linter",
        "2.17",
        2,
        "src/importlinter/domain/__init__.py",
        "import importlinter.cli\n",
        "Layered architecture",
        id="import-linter",
    ),
]


def _rows(out: str) -> dict[str, tuple[str, str]]:
    """The comparison table: contract name -> (their verdict, Charter's)."""
    found = re.findall(r"^(.+?)  +(kept|broken|error) +(kept|broken|error)", out, re.MULTILINE)
    return {name.strip(): (theirs, ours) for name, theirs, ours in found}


@pytest.mark.skipif(LINT_IMPORTS is None, reason="import-linter is not installed")
@pytest.mark.parametrize(("name", "version", "count", "edit", "line", "broken"), PROJECTS)
def test_a_real_configuration_keeps_its_verdicts(
    tmp_path: Path,
    charter: Charter,
    name: str,
    version: str,
    count: int,
    edit: str,
    line: str,
    broken: str,
) -> None:
    repo = copy_project(sdist(name, version), tmp_path / name)
    code, out, err = charter("import", "importlinter", "--root", repo)
    assert code == 0, out + err
    assert f"{count} of {count} contracts" in out
    rows = _rows(out)
    assert len(rows) == count and set(rows.values()) == {("kept", "kept")}, out
    record = next((repo / "docs/decisions").glob("0001-imports-from-import-linter.md"))
    if name == "kedro":  # its ignore_imports entries come along
        assert "kedro.runner.task -> kedro.framework.project" in record.read_text()

    with (repo / edit).open("a", encoding="utf-8") as stream:
        stream.write(line)
    code, out, err = charter("import", "importlinter", "--root", repo, "--force")
    assert code == 0, out + err
    rows = _rows(out)
    assert rows[broken] == ("broken", "broken"), out
    assert f"{count} of {count} verdicts agree" in out


TACH_PROJECT = {
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/views.py": "from app.db import session\nfrom app.core.logic import X\n",
    "app/db/__init__.py": "",
    "app/db/session.py": "from app.util import helpers\n",
    "app/core/__init__.py": "",
    "app/core/logic.py": "X = 1\n",
    "app/util/__init__.py": "",
    "app/util/helpers.py": "X = 1\n",
}
TACH_TOML = """\
source_roots = ["."]
layers = ["ui", "data"]

[[modules]]
path = "app.api"
depends_on = ["app.core"]
layer = "ui"

[[modules]]
path = "app.db"
depends_on = []
layer = "data"
visibility = ["app.api"]

[[modules]]
path = "app.core"
depends_on = []
cannot_depend_on = ["app.db"]
layer = "data"

[[modules]]
path = "app.util"
utility = true

[[interfaces]]
expose = ["logic.X"]
from = ["app.core"]
"""


@pytest.mark.parametrize(
    ("file", "text", "kept"),
    [
        pytest.param(None, "", True, id="kept"),
        # a lower layer imports a higher one
        pytest.param("app/core/logic.py", "from app.api import views\n", False, id="layer"),
        # same layer, not in depends_on (and cannot_depend_on, and not visible to core)
        pytest.param("app/core/logic.py", "from app.db import session\n", False, id="depends"),
    ],
)
def test_tach_configuration(
    repo: Path, charter: Charter, file: str | None, text: str, kept: bool
) -> None:
    for rel, content in TACH_PROJECT.items():
        write_file(repo, rel, content)
    write_file(repo, "tach.toml", TACH_TOML)
    if file is not None:
        write_file(repo, file, text)
    assert shutil.which("tach") or (Path(__import__("sys").executable).parent / "tach").exists()
    code, out, err = charter("import", "tach", "--root", repo)
    verdict = "kept" if kept else "broken"
    assert code == 0, out + err
    assert _rows(out) == {"tach check": (verdict, verdict)}
    # Named, not dropped: an interface limits names, which Charter cannot say.
    assert "not converted: interface-app.core" in out
    assert "not converted: app.db-visibility" in out


def test_dry_run_writes_nothing_and_a_second_import_needs_force(
    repo: Path, charter: Charter
) -> None:
    write_file(repo, "pkg/__init__.py")
    write_file(repo, "pkg/a.py", "import pkg.b\n")
    write_file(repo, "pkg/b.py")
    write_file(
        repo, "docs/decisions/0004-older.md", "---\nid: CH-0004\ntitle: T\nstatus: accepted\n---\n"
    )
    write_file(
        repo,
        ".importlinter",
        """
        [importlinter]
        root_package = pkg

        [importlinter:contract:ab]
        name = a must not import b
        type = forbidden
        source_modules = pkg.a
        forbidden_modules = pkg.b
        broken_contract_guidance = Ask pkg.c instead.
        """,
    )
    code, out, _ = charter("import", "importlinter", "--root", repo, "--dry-run", "--no-compare")
    assert code == 0 and "id: CH-0005" in out and "id: CH-0005/ab" in out
    assert "remedy: Ask pkg.c instead." in out
    assert not (repo / "docs/decisions/0005-imports-from-import-linter.md").exists()
    code, out, _ = charter("import", "importlinter", "--root", repo, "--no-compare")
    assert code == 0 and "wrote docs/decisions/0005-imports-from-import-linter.md" in out
    code, _, err = charter("import", "importlinter", "--root", repo, "--no-compare")
    assert code == 2 and "--force" in err
    code, out, _ = charter("check", "--all", "--root", repo)
    assert code == 1 and "a must not import b" in out


def test_no_configuration_is_a_clear_error(repo: Path, charter: Charter) -> None:
    code, _, err = charter("import", "importlinter", "--root", repo)
    assert code == 2
    assert "no import-linter configuration in setup.cfg, .importlinter, pyproject.toml" in err
    code, _, err = charter("import", "tach", "--root", repo)
    assert code == 2 and "tach.toml" in err
