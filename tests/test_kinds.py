"""Each constraint kind, unit-tested on an in-memory snapshot (no git, no disk).

The real-git end-to-end behaviour of the same kinds is in test_check.py and
test_commit_msg.py; here each kind's check runs alone on the paths the engine gives it.
"""

from __future__ import annotations

import pytest
from support.memory import MemorySnapshot, constraint, run_change_kind, run_kind, view_of

from charter.hooks.errors import CharterError
from charter.hooks.kinds import (
    acyclic,
    banned_api,
    co_change,
    dependencies,
    file_placement,
    forbid_import,
    forbid_pattern,
    independent,
    layers,
    plugin,
    private_modules,
    protected,
    protected_modules,
    require_pattern,
    ruff,
)

APP = {
    "app/__init__.py": "",
    "app/api.py": "from app import service\n",
    "app/service.py": "import app.db\n",
    "app/db.py": "",
}


def where(found: list) -> list[tuple[str, int, str]]:
    return [(f.path, f.line, f.key) for f in found]


def test_forbid_import_reports_the_direct_import_where_it_is_written() -> None:
    snap = MemorySnapshot(APP)
    found = run_kind(forbid_import.KIND, snap, **{"from": "app.service", "to": ["app.db"]})
    assert where(found) == [("app/service.py", 1, "app.db")]
    assert found[0].message == "app.service imports app.db"


def test_forbid_import_transitive_reports_the_chain() -> None:
    snap = MemorySnapshot(APP)
    found = run_kind(
        forbid_import.KIND, snap, transitive=True, **{"from": "app.api", "to": ["app.db"]}
    )
    assert [f.chain for f in found] == [("app.api:1", "app.service:1", "app.db")]
    assert "indirectly, via app.service" in found[0].message


def test_layers_forbid_a_lower_layer_importing_a_higher_one_inside_containers() -> None:
    snap = MemorySnapshot({**APP, "app/db.py": "from app import api\n"})
    found = run_kind(
        layers.KIND, snap, containers=["app"], layers=["api", "service", "db"], transitive=False
    )
    assert where(found) == [("app/db.py", 1, "app.api")]
    assert found[0].message == "app.db (layer app.db) imports app.api (higher layer)"


def test_layers_siblings_in_one_layer_are_independent() -> None:
    snap = MemorySnapshot({**APP, "app/api.py": "import app.db\n"})
    found = run_kind(layers.KIND, snap, layers=["app.service", ["app.api", "app.db"]])
    assert [(f.path, f.key) for f in found] == [("app/api.py", "app.db")]
    assert "(sibling)" in found[0].message


def test_independent_modules_must_not_import_each_other() -> None:
    snap = MemorySnapshot(APP)
    found = run_kind(independent.KIND, snap, modules=["app.service", "app.db"])
    assert where(found) == [("app/service.py", 1, "app.db")]


def test_acyclic_reports_a_cycle_once_at_its_first_import() -> None:
    snap = MemorySnapshot({**APP, "app/db.py": "import app.service\n"})
    found = run_kind(acyclic.KIND, snap, packages=["app"])
    assert [f.key for f in found] == ["cycle:app.db,app.service"]


def test_protected_modules_only_the_allowed_importers_may_import_them() -> None:
    snap = MemorySnapshot(
        {
            "app/__init__.py": "",
            "app/db/__init__.py": "",
            "app/db/session.py": "import app.db\n",
            "app/repo.py": "import app.db.session\n",
            "app/api.py": "x = 1\nimport app.db.session\n",
        }
    )
    found = run_kind(
        protected_modules.KIND, snap, modules=["app.db"], allowed_importers=["app.repo"]
    )
    # The repository may import it, the package itself too; the API may not.
    assert where(found) == [("app/api.py", 2, "app.db.session")]
    assert "which only app.repo may import" in found[0].message


def test_private_modules_are_imported_only_from_within_their_parent() -> None:
    snap = MemorySnapshot(
        {
            "app/__init__.py": "",
            "app/a/__init__.py": "",
            "app/a/_impl.py": "",
            "app/a/public.py": "from app.a import _impl\n",
            "app/b.py": "import app.a._impl\n",
        }
    )
    found = run_kind(private_modules.KIND, snap, packages=["app"])
    assert where(found) == [("app/b.py", 1, "app.a._impl")]
    assert found[0].message == "app.b imports app.a._impl, which is private to app.a"


def test_an_ignored_import_is_let_through_and_a_stale_entry_is_reported() -> None:
    snap = MemorySnapshot(APP)
    found = run_kind(
        independent.KIND,
        snap,
        modules=["app.service", "app.db"],
        ignore_imports=["app.service -> app.db", "app.api -> app.nowhere"],
    )
    assert [f.key for f in found] == ["ignore:app.api -> app.nowhere"]
    assert found[0].severity == "error"


def test_banned_api_sees_through_an_alias() -> None:
    snap = MemorySnapshot({"app/x.py": "import datetime as dt\nT = dt.datetime.now()\n"})
    found = run_kind(banned_api.KIND, snap, names=["datetime.datetime.now"])
    assert [(f.line, f.key) for f in found] == [(2, "datetime.datetime.now")]


def test_banned_api_is_not_run_on_files_that_are_not_python() -> None:
    snap = MemorySnapshot({"notes.txt": "dt.datetime.now()\n", "x.py": "print(1)\n"})
    found = run_kind(banned_api.KIND, snap, names=["builtins.print"])
    assert where(found) == [("x.py", 1, "builtins.print")]


def test_dependencies_allow_list_flags_only_unlisted_third_party_imports() -> None:
    snap = MemorySnapshot(
        {
            "app/__init__.py": "",
            "app/x.py": "import os\nimport requests\nimport yaml\nfrom app import db\n",
        }
    )
    found = run_kind(dependencies.KIND, snap, allow=["requests"])
    assert where(found) == [("app/x.py", 3, "yaml")]
    assert found[0].message == "imports yaml, which is not an allowed dependency"


def test_dependencies_forbid_compares_normalised_names() -> None:
    snap = MemorySnapshot({"x.py": "import yaml\nimport typing_extensions\n"})
    found = run_kind(dependencies.KIND, snap, forbid=["typing-extensions"])
    assert where(found) == [("x.py", 2, "typing_extensions")]


def test_file_placement_allow_and_deny() -> None:
    snap = MemorySnapshot({"src/app.py": "", "helper.py": "", "src/tests/test_x.py": ""})
    outside = run_kind(file_placement.KIND, snap, allow=["src/**"])
    assert [(f.path, f.message) for f in outside] == [("helper.py", "file is outside src/**")]
    denied = run_kind(file_placement.KIND, snap, deny=["src/tests/**"])
    assert [f.path for f in denied] == ["src/tests/test_x.py"]


def test_file_placement_respects_the_decision_scope() -> None:
    snap = MemorySnapshot({"src/app.py": "", "docs/x.md": "", "helper.py": ""})
    found = run_kind(file_placement.KIND, snap, scope=["*.py"], allow=["src/**"])
    assert [f.path for f in found] == ["helper.py"]


def test_forbid_pattern_in_any_text_file_with_line_and_column() -> None:
    snap = MemorySnapshot({"config/q.yaml": "name: x\nsql: SELECT * FROM users\n"})
    found = run_kind(forbid_pattern.KIND, snap, pattern=r"SELECT \*", files=["config/**"])
    assert [(f.path, f.line, f.col) for f in found] == [("config/q.yaml", 2, 6)]


def test_require_pattern_finds_the_file_missing_it() -> None:
    header = "# SPDX-License-Identifier: MIT\n"
    snap = MemorySnapshot({"a.py": header + "x = 1\n", "b.py": "x = 2\n", "README.md": "hi\n"})
    found = run_kind(require_pattern.KIND, snap, pattern="SPDX-License-Identifier", files="*.py")
    assert where(found) == [("b.py", 1, "missing")]


def test_require_pattern_skips_binary_files_with_a_note() -> None:
    # A binary Python file is a finding of its own (tests/test_hostile_encodings.py);
    # any other binary file is only noted.
    snap = MemorySnapshot({"logo.png": b"\x89PNG\0\0binary"})
    view = view_of(snap)
    active = constraint(require_pattern.KIND, pattern="x")
    assert require_pattern.KIND.check is not None
    assert list(require_pattern.KIND.check(active, view, ["logo.png"])) == []
    assert view.notes == [
        "skipped logo.png: a binary file (it holds NUL bytes), so no rule could read it: "
        "exclude it from the rule's scope if it is meant to be binary"
    ]


def test_ruff_reports_each_diagnostic_with_its_rule_code(tmp_path) -> None:
    snap = MemorySnapshot({"app.py": "import os\nx = 1\n", "ok.py": "x = 1\n"}, root=tmp_path)
    found = run_kind(ruff.KIND, snap, select=["F401"])
    assert [(f.path, f.line, f.key) for f in found] == [("app.py", 1, "F401")]
    assert found[0].message.startswith("F401 ")


def test_ruff_ignore_removes_rules_from_the_selection(tmp_path) -> None:
    snap = MemorySnapshot({"app.py": "import os\n"}, root=tmp_path)
    assert run_kind(ruff.KIND, snap, select=["F"], ignore=["F401"]) == []


def test_python_plugin_gets_the_files_in_scope_and_its_options(tmp_path) -> None:
    snap = MemorySnapshot(
        {"app/pay.py": "total: float = 0\n", "other/pay.py": "total: float = 0\n"}, root=tmp_path
    )
    found = run_kind(
        plugin.KIND,
        snap,
        scope=["app/**"],
        check="support.plugins:no_float_amounts",
        options={"word": "total"},
    )
    assert [(f.path, f.line, f.key, f.message) for f in found] == [
        ("app/pay.py", 1, "total", "total is a float")
    ]


def test_python_plugin_that_raises_is_a_configuration_error_naming_the_decision(
    tmp_path,
) -> None:
    snap = MemorySnapshot({"x.py": ""}, root=tmp_path)
    with pytest.raises(CharterError) as raised:
        run_kind(plugin.KIND, snap, check="support.plugins:broken")
    assert "ADR-0001/1 (python check 'support.plugins:broken')" in str(raised.value)
    assert "RuntimeError: the check itself is broken" in str(raised.value)


def test_python_plugin_that_does_not_exist_names_the_fix(tmp_path) -> None:
    snap = MemorySnapshot({"x.py": ""}, root=tmp_path)
    with pytest.raises(CharterError, match="has no function 'nope'"):
        run_kind(plugin.KIND, snap, check="support.plugins:nope")


def test_protected_blocks_modify_and_delete_not_add() -> None:
    changed = {"migrations/0001.py": "modified", "migrations/0002.py": "added"}
    found = run_change_kind(protected.KIND, changed, paths=["migrations/**"])
    assert [(f.path, f.key) for f in found] == [("migrations/0001.py", "modified")]


def test_co_change_requires_a_matching_file_in_the_same_change() -> None:
    fields = {"when": ["app/models.py"], "require": ["migrations/**"]}
    alone = run_change_kind(co_change.KIND, {"app/models.py": "modified"}, **fields)
    assert [f.path for f in alone] == ["app/models.py"]
    both = {"app/models.py": "modified", "migrations/0003.py": "added"}
    assert run_change_kind(co_change.KIND, both, **fields) == []
