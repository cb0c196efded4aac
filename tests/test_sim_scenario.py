"""Scenario loading: every mistake is an error naming the file, the line and the field."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from support.simkit import tiny

from charter.hooks.errors import CharterError
from charter.simulator import patches, scenario


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny(tmp_path_factory.mktemp("scenarios"))


def _edit(folder: Path, change: object) -> Path:
    data = yaml.safe_load((folder / "scenario.yaml").read_text())
    change(data)  # type: ignore[operator]
    (folder / "scenario.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


@pytest.fixture
def copy(base: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(base, tmp_path / "tiny", symlinks=True))


def _error(folder: Path) -> str:
    with pytest.raises(CharterError) as info:
        scenario.load(folder)
    return str(info.value)


def test_loads_the_tiny_scenario(base: Path) -> None:
    loaded = scenario.load(base)
    assert loaded.name == "tiny" and loaded.mode == "chained"
    assert [t.id for t in loaded.tasks] == ["T001", "T002", "T003", "T004"]
    assert [a.outcome for a in loaded.tasks[1].attempts] == ["rejected", "accepted"]
    assert sorted(loaded.constraint_sets) == ["baseline", "empty", "strict"]
    assert loaded.recorded_with == "baseline"
    assert scenario.load(base / "scenario.yaml").tasks == loaded.tasks


def test_missing_and_unknown_fields_name_line_and_field(copy: Path) -> None:
    def change(data: dict) -> None:
        del data["oracle"]
        data["tasks"][1]["attempts"][0]["outcom"] = "accepted"

    message = _error(_edit(copy, change))
    assert "scenario.yaml:1: oracle: required field is missing" in message
    lines = (copy / "scenario.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if "outcom:" in text)
    assert f"scenario.yaml:{line}: tasks[1].attempts[0].outcom: unknown field" in message


def test_bad_values_are_each_reported(copy: Path) -> None:
    def change(data: dict) -> None:
        data["tasks"][0]["attempts"][0]["outcome"] = "landed"
        data["tasks"][2]["id"] = "T001"
        data["recorded_with"] = "nope"
        data["mode"] = "sideways"

    message = _error(_edit(copy, change))
    assert "tasks[0].attempts[0].outcome: Input should be 'accepted' or 'rejected'" in message
    assert "mode: Input should be 'chained' or 'independent'" in message
    # The model errors stop before the cross-field checks; fix them and see those.

    def fix(data: dict) -> None:
        data["mode"] = "chained"
        data["tasks"][0]["attempts"][0]["outcome"] = "accepted"

    _edit(copy, fix)
    message = _error(copy)
    assert "tasks[2].id: duplicate task id (also tasks[0])" in message
    assert "recorded_with: 'nope' is not one of the constraint sets" in message


def test_wrong_schema_and_not_yaml(copy: Path) -> None:
    _edit(copy, lambda d: d.update(schema="charter-scenario/9"))
    assert "schema: expected 'charter-scenario/1'" in _error(copy)
    (copy / "scenario.yaml").write_text("schema: [unclosed\n")
    assert "scenario.yaml:2: not valid YAML" in _error(copy)
    (copy / "scenario.yaml").unlink()
    assert "no scenario here" in _error(copy)


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ("../outside.diff", "leaves the scenario folder ('..')"),
        ("/etc/passwd", "is an absolute path"),
        ("tasks/T001/../../../x.diff", "leaves the scenario folder"),
        ("tasks/T001/none.diff", "does not exist"),
    ],
)
def test_patch_paths_must_stay_inside_the_scenario(copy: Path, patch: str, expected: str) -> None:
    _edit(copy, lambda d: d["tasks"][0]["attempts"][0].update(patch=patch))
    message = _error(copy)
    assert "tasks[0].attempts[0].patch:" in message and expected in message


def test_symlinks_leading_out_are_rejected(copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.diff"
    outside.write_text((copy / "tasks/T001/1.diff").read_text())
    os.symlink(outside, copy / "tasks/T001/link.diff")
    _edit(copy, lambda d: d["tasks"][0]["attempts"][0].update(patch="tasks/T001/link.diff"))
    assert "is a symlink leading out of the scenario folder" in _error(copy)
    _edit(copy, lambda d: d["tasks"][0]["attempts"][0].update(patch="tasks/T001/1.diff"))
    os.symlink("/etc", copy / "repo" / "etc")
    assert "repo: 'etc' in the fixture is a symlink leading out of it" in _error(copy)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("a/src/app/api.py", "a/../../etc/profile", "leaves the repository ('..')"),
        ("b/src/app/api.py", "b//etc/profile", "is an absolute path"),
        ("b/src/app/api.py", "b/.git/hooks/pre-commit", "writes into git's own folder"),
    ],
)
def test_patches_touching_paths_outside_the_repo_are_rejected(
    copy: Path, old: str, new: str, expected: str
) -> None:
    diff = copy / "tasks/T001/1.diff"
    diff.write_text(diff.read_text().replace(old, new, 1))
    message = _error(copy)
    assert "tasks[0].attempts[0].patch: 1.diff:" in message and expected in message


def test_symlink_created_by_a_patch_must_point_inside() -> None:
    diff = (
        "diff --git a/link b/link\nnew file mode 120000\nindex 0000000..1111111\n"
        "--- /dev/null\n+++ b/link\n@@ -0,0 +1 @@\n+../../etc/passwd\n"
        "\\ No newline at end of file\n"
    )
    expected = (
        "symlink 'link' points out of the repository ('../../etc/passwd'), directly, "
        "through the patch's other symlinks, or in a loop of them"
    )
    assert patches.problems(diff) == [(7, expected)]
    inside = diff.replace("../../etc/passwd", "docs/readme")
    assert patches.problems(inside) == []


def test_touched_paths_read_quoted_names_and_renames() -> None:
    diff = (
        'diff --git "a/caf\\303\\251.py" "b/caf\\303\\251.py"\n'
        "diff --git a/old.py b/new.py\nsimilarity index 90%\n"
        "rename from old.py\nrename to new.py\n"
    )
    assert patches.files(diff) == ["café.py", "new.py", "old.py"]
    assert patches.path_problem("src/ok.py") is None
    assert patches.path_problem("C:\\x") is not None
