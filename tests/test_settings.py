"""``charter config`` and ``charter.hooks.settings``: values, their origin, their errors.

Precedence, highest first: flags, ``CHARTER_*`` environment, ``.charter.toml``,
``[tool.charter]`` in pyproject.toml, defaults (some detected from the repository).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.repo import (
    PYPROJECT,
    Charter,
    decision,
    make_repo,
    run_cli,
    write_decision,
    write_file,
)

from charter.hooks import settings
from charter.hooks.errors import CharterError

SETTINGS_LIST = (
    "decisions, source_roots, packages, exclude, baseline, cache_dir, format, journal, "
    "namespace_packages, agent_files, "
    "unreadable, max_file_bytes"
)


def config(charter: Charter, root: Path, *flags: str) -> dict[str, tuple[object, str]]:
    """``charter config --json`` as {key: (value, source)}."""
    code, out, err = charter("config", "--root", root, "--json", *flags)
    assert (code, err) == (0, "")
    return {key: (entry["value"], entry["source"]) for key, entry in json.loads(out).items()}


def config_error(charter: Charter, root: Path) -> str:
    """The error line of a ``charter config`` that must fail with exit code 2."""
    code, out, err = charter("config", "--root", root)
    assert (code, out) == (2, "")
    return err


def test_defaults_and_where_they_come_from(tmp_path: Path, charter: Charter) -> None:
    root = make_repo(tmp_path / "repo")
    code, out, err = charter("config", "--root", root)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        'decisions = "docs/decisions"         # default',
        'source_roots = ["."]                 # detected: flat layout (no src/)',
        "packages = {}                        # default",
        "exclude = []                         # default",
        'baseline = ".charter/baseline.json"  # default',
        'cache_dir = ".charter_cache"         # default',
        'format = "text"                      # default',
        "journal = false                      # default",
        "namespace_packages = false           # default",
        'agent_files = ["agents", "claude"]   # default',
        'unreadable = "error"                 # default',
        "max_file_bytes = 1000000             # default",
    ]


def test_pyproject_table_is_read_with_line_numbers(tmp_path: Path, charter: Charter) -> None:
    pyproject = PYPROJECT + '\n[tool.charter]\ndecisions = "adr"\nexclude = ["vendor/**"]\n'
    root = make_repo(tmp_path / "repo", pyproject)
    values = config(charter, root)
    assert values["decisions"] == ("adr", "pyproject.toml [tool.charter], line 6")
    assert values["exclude"] == (["vendor/**"], "pyproject.toml [tool.charter], line 7")
    assert values["format"] == ("text", "default")


def test_line_numbers_come_from_the_charter_table_not_an_earlier_one(
    tmp_path: Path, charter: Charter
) -> None:
    pyproject = (
        PYPROJECT
        + '\n[tool.ruff]\nexclude = ["build"]\nformat = "x"\n'
        + '\n[tool.charter]\nexclude = ["vendor/**"]\nformat = "xml"\n'
    )
    root = make_repo(tmp_path / "repo", pyproject)
    assert config_error(charter, root) == (
        "charter: error: pyproject.toml [tool.charter], line 11: format: 'xml' is not one of "
        "text, json, sarif, github\n"
    )


def test_charter_toml_overrides_pyproject(tmp_path: Path, charter: Charter) -> None:
    pyproject = PYPROJECT + '\n[tool.charter]\ndecisions = "adr"\nbaseline = "base.json"\n'
    root = make_repo(tmp_path / "repo", pyproject)
    write_file(root, ".charter.toml", '# Charter\ndecisions = "records"\n')
    values = config(charter, root)
    assert values["decisions"] == ("records", ".charter.toml, line 2")
    assert values["baseline"] == ("base.json", "pyproject.toml [tool.charter], line 7")


def test_environment_overrides_both_files(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", PYPROJECT + '\n[tool.charter]\ndecisions = "adr"\n')
    write_file(root, ".charter.toml", 'decisions = "records"\n')
    environ = {"CHARTER_DECISIONS": "from-env", "CHARTER_EXCLUDE": "a/**, b/**"}
    loaded, values = settings.load(root, environ=environ)
    assert loaded.decisions == "from-env"
    assert loaded.exclude == ("a/**", "b/**")
    assert values["decisions"].source == "environment CHARTER_DECISIONS"
    assert values["exclude"].source == "environment CHARTER_EXCLUDE"


def test_environment_is_read_by_the_command(
    tmp_path: Path, charter: Charter, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, ".charter.toml", 'decisions = "records"\n')
    monkeypatch.setenv("CHARTER_DECISIONS", "from-env")
    assert config(charter, root)["decisions"] == ("from-env", "environment CHARTER_DECISIONS")


def test_flag_overrides_everything(
    tmp_path: Path, charter: Charter, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_repo(tmp_path / "repo", PYPROJECT + '\n[tool.charter]\ndecisions = "adr"\n')
    write_file(root, ".charter.toml", 'decisions = "records"\n')
    monkeypatch.setenv("CHARTER_DECISIONS", "from-env")
    values = config(charter, root, "--decisions", "from-flag", "--exclude", "x/**")
    assert values["decisions"] == ("from-flag", "flag --decisions")
    assert values["exclude"] == (["x/**"], "flag --exclude")


def test_validate_reads_the_configured_folder(tmp_path: Path, charter: Charter) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, ".charter.toml", 'decisions = "records"\n')
    write_decision(root, "0001-a.md", decision("ADR-0001", status="acceptd"), folder="records")
    code, out, _ = charter("validate", "--root", root)
    assert code == 2
    assert out.startswith("records/0001-a.md:4: error: status: 'acceptd' is not a status")
    code, out, _ = charter("validate", "--root", root, "--decisions", "elsewhere")
    assert code == 2
    assert out.startswith("elsewhere:0: error: decisions folder 'elsewhere' does not exist")


def test_kebab_case_keys_are_accepted(tmp_path: Path, charter: Charter) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, "lib/__init__.py")
    write_file(root, ".charter.toml", 'cache-dir = ".cache"\nsource-roots = ["lib"]\n')
    values = config(charter, root)
    assert values["cache_dir"] == (".cache", ".charter.toml, line 1")
    assert values["source_roots"] == (["lib"], ".charter.toml, line 2")


def test_same_key_in_both_spellings_is_an_error(tmp_path: Path, charter: Charter) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, ".charter.toml", 'cache_dir = "a"\ncache-dir = "b"\n')
    assert config_error(charter, root) == (
        "charter: error: .charter.toml:2: 'cache-dir' is given twice (as snake_case and "
        "kebab-case); keep one\n"
    )


def test_unknown_key_names_file_line_and_suggestion(tmp_path: Path, charter: Charter) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, ".charter.toml", 'format = "text"\ndecisons = "adr"\n')
    assert config_error(charter, root) == (
        "charter: error: .charter.toml:2: unknown Charter setting 'decisons' (did you mean "
        f"'decisions'?); settings are {SETTINGS_LIST}\n"
    )


def test_unknown_key_in_pyproject(tmp_path: Path, charter: Charter) -> None:
    root = make_repo(tmp_path / "repo", PYPROJECT + '\n[tool.charter]\nbaseline-file = "b"\n')
    assert config_error(charter, root) == (
        "charter: error: pyproject.toml:6: unknown Charter setting 'baseline-file' (did you "
        f"mean 'baseline'?); settings are {SETTINGS_LIST}\n"
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('format = "xml"', "format: 'xml' is not one of text, json, sarif, github"),
        ("exclude = 3", "exclude: expected a list of strings, got 3"),
        ("decisions = 7", "decisions: expected a path string, got 7"),
        (
            'decisions = "../adr"',
            "decisions: '../adr' must be a path inside the repository, relative to it",
        ),
        (
            'exclude = ["/abs/**"]',
            "exclude: glob '/abs/**' is absolute; write it relative to the repository root",
        ),
        ('source_roots = ["lib"]', "source_roots: folder 'lib' does not exist"),
        (
            'packages = { "a.b" = "nope" }',
            "packages: folder 'nope' for package 'a.b' does not exist",
        ),
    ],
)
def test_wrong_value_names_the_source_and_key(
    tmp_path: Path, charter: Charter, line: str, message: str
) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, ".charter.toml", f"# settings\n{line}\n")
    assert config_error(charter, root) == f"charter: error: .charter.toml, line 2: {message}\n"


def test_wrong_value_in_pyproject(tmp_path: Path, charter: Charter) -> None:
    root = make_repo(tmp_path / "repo", PYPROJECT + "\n[tool.charter]\nexclude = 3\n")
    assert config_error(charter, root) == (
        "charter: error: pyproject.toml [tool.charter], line 6: exclude: expected a list of "
        "strings, got 3\n"
    )


def test_invalid_toml_names_the_file(tmp_path: Path, charter: Charter) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, ".charter.toml", "decisions = \n")
    assert config_error(charter, root).startswith("charter: error: .charter.toml: invalid TOML:")


def test_malformed_packages_environment_variable(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    with pytest.raises(CharterError) as error:
        settings.load(root, environ={"CHARTER_PACKAGES": "lib"})
    assert str(error.value) == "CHARTER_PACKAGES: 'lib' is not 'package.name=folder'"


def test_src_layout_is_detected(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, "src/app/__init__.py")
    loaded, values = settings.load(root, environ={})
    assert loaded.source_roots == ("src",)
    assert values["source_roots"].source == "detected: src/ layout"


def test_flat_layout_is_detected(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, "app/__init__.py")
    loaded, values = settings.load(root, environ={})
    assert loaded.source_roots == (".",)
    assert values["source_roots"].source == "detected: flat layout (no src/)"


def test_setuptools_package_dir_becomes_packages(tmp_path: Path, charter: Charter) -> None:
    pyproject = PYPROJECT + '\n[tool.setuptools]\npackage-dir = { "acme.core" = "core" }\n'
    root = make_repo(tmp_path / "repo", pyproject)
    write_file(root, "core/__init__.py")
    assert config(charter, root)["packages"] == (
        {"acme.core": "core"},
        "detected: [tool.setuptools] package-dir",
    )


def test_json_output_holds_every_setting(tmp_path: Path, charter: Charter) -> None:
    root = make_repo(tmp_path / "repo")
    values = config(charter, root)
    assert sorted(values) == sorted(settings.KEYS)
    assert values["source_roots"] == (["."], "detected: flat layout (no src/)")
    assert values["packages"] == ({}, "default")


def test_root_is_found_from_a_subfolder(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", PYPROJECT + '\n[tool.charter]\ndecisions = "adr"\n')
    (root / "deep" / "er").mkdir(parents=True)
    code, out, err = run_cli("config", cwd=root / "deep" / "er")
    assert (code, err) == (0, "")
    setting, source = out.splitlines()[0].split("  # ")
    assert setting.rstrip() == 'decisions = "adr"'
    assert source == "pyproject.toml [tool.charter], line 6"
