"""``charter validate``: every malformed decision is reported as ``path:line: severity: message``.

Each test builds a small repository, runs the command in-process and compares the whole
output, so a changed message, line number or exit code is noticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.repo import (
    EXAMPLES,
    PYPROJECT,
    Charter,
    decision,
    make_repo,
    run_cli,
    write_decision,
    write_file,
)

from charter.hooks.decisions import catalog, load
from charter.hooks.decisions.model import ForbidImport

KINDS_LIST = (
    "forbid-import, layers, independent, acyclic, protected-modules, private-modules, "
    "banned-api, dependencies, file-placement, "
    "forbid-pattern, require-pattern, ruff, protected, co-change, python"
)
FORBID_IMPORT_KEYS = (
    "allow_type_checking, as_packages, exclude, from, id, ignore_imports, message, optional, "
    "paths, remedy, replacement, severity, to, transitive, unmatched_ignore_imports"
)
DECISION_KEYS = "id, title, status, date, supersedes, tags, scope, constraints, adopted"


def validate(charter: Charter, root: Path, *flags: str) -> tuple[int, list[str]]:
    """Exit code and stdout lines of ``charter validate`` on ``root``."""
    code, out, err = charter("validate", "--root", root, *flags)
    assert err == ""
    return code, out.splitlines()


# --- malformed files ------------------------------------------------------------------


def test_malformed_yaml_hints_at_quoting_a_value_with_a_colon(repo: Path, charter: Charter) -> None:
    write_decision(
        repo,
        "0001-colon.md",
        """
        ---
        id: ADR-0001
        title: Broken: colon in a plain value
        status: accepted
        ---
        """,
    )
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0001-colon.md:3: error: malformed YAML front matter: mapping values "
            "are not allowed in this context (a value containing ': ' must be quoted)",
            "0 valid decisions; 1 error, 0 warnings",
        ],
    )


def test_malformed_yaml_without_a_colon_gets_no_quoting_hint(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-tab.md", decision("ADR-0001", extra="tags:\n\t- a"))
    code, lines = validate(charter, repo)
    assert code == 2
    assert lines[0].startswith("docs/decisions/0001-tab.md:6: error: malformed YAML front matter")
    assert "must be quoted" not in lines[0]


def test_front_matter_not_closed(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-open.md", "---\nid: ADR-0001\ntitle: T\nstatus: accepted\n# T\n")
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0001-open.md:1: error: front matter is not closed: add a line '---' "
            "after it",
            "0 valid decisions; 1 error, 0 warnings",
        ],
    )


@pytest.mark.parametrize("front", ["- id: ADR-0001\n- status: accepted", "just some words"])
def test_front_matter_that_is_not_a_mapping(repo: Path, charter: Charter, front: str) -> None:
    write_decision(repo, "0001-list.md", f"---\n{front}\n---\n")
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0001-list.md:2: error: front matter must be a mapping of "
            "'key: value' lines",
            "0 valid decisions; 1 error, 0 warnings",
        ],
    )


def test_missing_status(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-a.md", "---\nid: ADR-0001\ntitle: T\n---\n")
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0001-a.md:2: error: missing required key 'status' in the front "
            "matter: add 'status: ...'",
            "0 valid decisions; 1 error, 0 warnings",
        ],
    )


def test_missing_id_that_the_file_name_cannot_provide(repo: Path, charter: Charter) -> None:
    write_decision(repo, "use-postgres.md", "---\ntitle: Use Postgres\nstatus: accepted\n---\n")
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/use-postgres.md:2: error: missing required key 'id' in the front "
            "matter: add 'id: ...'",
            "0 valid decisions; 1 error, 0 warnings",
        ],
    )


def test_missing_title_without_a_heading(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-a.md", "---\nid: ADR-0001\nstatus: accepted\n---\nNo heading.\n")
    assert validate(charter, repo)[1][0] == (
        "docs/decisions/0001-a.md:2: error: missing required key 'title' in the front matter: "
        "add 'title: ...'"
    )


def test_madr_file_takes_id_from_file_name_and_title_from_heading(
    repo: Path, charter: Charter
) -> None:
    write_decision(repo, "0007-x.md", "---\nstatus: accepted\n---\n# ADR-0007: Use things\n")
    write_decision(repo, "0012-y.md", "---\nstatus: proposed\n---\n\n# Keep a changelog\n")
    assert validate(charter, repo, "-v") == (
        0,
        [
            "ADR-0007     accepted    0 constraints  docs/decisions/0007-x.md: Use things",
            "ADR-0012     proposed    0 constraints  docs/decisions/0012-y.md: Keep a changelog",
            "2 valid decisions; 0 errors, 0 warnings",
        ],
    )


def test_non_utf8_file(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-latin1.md", b"---\nid: ADR-0001\ntitle: caf\xe9\nstatus: accepted\n")
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0001-latin1.md:1: error: not valid UTF-8 (invalid continuation "
            "byte); save the file as UTF-8",
            "0 valid decisions; 1 error, 0 warnings",
        ],
    )


def test_impossible_date_is_an_error_not_a_crash(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra="date: 2026-13-01"))
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0001-a.md:5: error: malformed YAML front matter: cannot read the "
            "value '2026-13-01': month must be in 1..12",
            "0 valid decisions; 1 error, 0 warnings",
        ],
    )


def test_markdown_without_front_matter_warns_but_readme_is_documentation(
    repo: Path, charter: Charter
) -> None:
    write_decision(repo, "0002-notes.md", "# Notes\n\nJust prose.\n")
    write_decision(repo, "README.md", "# Decision records\n")
    write_decision(repo, "0001-a.md", decision("ADR-0001"))
    warning = (
        "docs/decisions/0002-notes.md:1: warning: no YAML front matter, so Charter cannot read "
        "this decision: start the file with '---', then 'id:', 'title:' and 'status:' lines, "
        "then '---'"
    )
    assert validate(charter, repo) == (0, [warning, "1 valid decision; 0 errors, 1 warning"])
    assert validate(charter, repo, "-v") == (
        0,
        [
            "ADR-0001     accepted    0 constraints  docs/decisions/0001-a.md: T",
            "-            (docs)      not a decision: docs/decisions/README.md",
            warning,
            "1 valid decision; 0 errors, 1 warning",
        ],
    )


def test_readme_alone_is_silent(repo: Path, charter: Charter) -> None:
    write_decision(repo, "README.md", "# Decision records\n")
    assert validate(charter, repo) == (0, [])


# --- keys and values ------------------------------------------------------------------


def test_unknown_top_level_key_is_a_warning(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra="tag: storage"))
    assert validate(charter, repo) == (
        0,
        [
            "docs/decisions/0001-a.md:5: warning: unknown front matter key 'tag' (did you mean "
            f"'tags'?); Charter ignores it: decision keys are {DECISION_KEYS}",
            "1 valid decision; 0 errors, 1 warning",
        ],
    )
    assert validate(charter, repo, "--strict")[0] == 2


def test_keys_of_other_adr_tools_are_accepted(repo: Path, charter: Charter) -> None:
    extra = """
        deciders: [ana, bo]
        decision-makers: [ana]
        consulted: [cy]
        informed: everyone
        """
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra=extra))
    assert validate(charter, repo, "--strict") == (0, [])


def test_unknown_key_in_a_constraint_is_an_error(repo: Path, charter: Charter) -> None:
    extra = """
        constraints:
          - kind: forbid-import
            from: app.api
            to: app.db
            mesage: Use a repository.
        """
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra=extra))
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0001-a.md:9: error: constraints[0].mesage: unknown key 'mesage' in a "
            "'forbid-import' constraint (did you mean 'message'?); allowed keys: "
            f"{FORBID_IMPORT_KEYS}",
            "0 valid decisions; 1 error, 0 warnings",
        ],
    )


def test_unknown_kind_and_missing_kind(repo: Path, charter: Charter) -> None:
    extra = """
        constraints:
          - kind: forbid-imports
            from: app.api
            to: app.db
          - from: app.api
            to: app.db
        """
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra=extra))
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0001-a.md:6: error: constraints[0]: unknown constraint kind "
            f"'forbid-imports' (did you mean 'forbid-import'?); kinds: {KINDS_LIST}",
            "docs/decisions/0001-a.md:9: error: constraints[1]: constraint has no 'kind'; add "
            f"one of: {KINDS_LIST}",
            "0 valid decisions; 2 errors, 0 warnings",
        ],
    )


def test_missing_required_constraint_key(repo: Path, charter: Charter) -> None:
    extra = """
        constraints:
          - kind: forbid-import
            from: app.api
        """
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra=extra))
    assert validate(charter, repo)[1][0] == (
        "docs/decisions/0001-a.md:6: error: constraints[0]: missing required key 'to' for a "
        "'forbid-import' constraint"
    )


def test_values_of_the_wrong_type(repo: Path, charter: Charter) -> None:
    extra = """
        tags: 5
        constraints:
          - kind: forbid-import
            from: app.api
            to: app.db
            transitive: maybe
        """
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra=extra))
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0001-a.md:5: error: tags: Input should be a list (got 5)",
            "docs/decisions/0001-a.md:10: error: constraints[0].transitive: Input should be a "
            "valid boolean, unable to interpret input (got 'maybe')",
            "0 valid decisions; 2 errors, 0 warnings",
        ],
    )


def test_misspelled_status_suggests_the_right_one(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-a.md", decision("ADR-0001", status="acceptd"))
    assert validate(charter, repo)[1][0] == (
        "docs/decisions/0001-a.md:4: error: status: 'acceptd' is not a status (did you mean "
        "'accepted'?); use proposed, accepted, deprecated, superseded or rejected"
    )


def test_bad_item_is_not_also_reported_as_too_few_items(repo: Path, charter: Charter) -> None:
    extra = """
        constraints:
          - kind: forbid-import
            from: app.api
            to: [5]
        """
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra=extra))
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0001-a.md:8: error: constraints[0].to[0]: Input should be a valid "
            "string (got 5)",
            "0 valid decisions; 1 error, 0 warnings",
        ],
    )


def test_a_single_string_is_accepted_for_a_list_field(repo: Path, charter: Charter) -> None:
    write_file(repo, "src/app/__init__.py")
    write_file(repo, "src/app/api.py")
    write_file(repo, "src/app/db.py")
    extra = """
        constraints:
          - kind: forbid-import
            from: app.api
            to: app.db
        """
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra=extra))
    assert validate(charter, repo, "--strict") == (0, [])
    loaded = load.load_folder(repo, "docs/decisions")
    constraint = loaded.files[0].decision.constraints[0]
    assert isinstance(constraint, ForbidImport)
    assert constraint.to == ("app.db",)
    assert constraint.from_ == ("app.api",)


def test_duplicate_yaml_key(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra="status: proposed"))
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0001-a.md:5: error: status: key given twice (first on line 4); YAML "
            "would keep only the last one: remove one of them",
            "1 valid decision; 1 error, 0 warnings",
        ],
    )


def test_invalid_regex(repo: Path, charter: Charter) -> None:
    extra = """
        constraints:
          - kind: forbid-pattern
            pattern: "print(("
        """
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra=extra))
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0001-a.md:7: error: constraints[0].pattern: invalid regular "
            "expression 'print((': missing ), unterminated subpattern at position 6",
            "0 valid decisions; 1 error, 0 warnings",
        ],
    )


@pytest.mark.parametrize(
    ("glob", "problem"),
    [
        ("/abs/*.py", "glob '/abs/*.py' is absolute; write it relative to the repository root"),
        ("../other/*.py", "glob '../other/*.py' leaves the repository with '..'"),
        (
            "src/[z-a].py",
            "glob 'src/[z-a].py' has a range running backwards: write it low to high, as '[a-z]'",
        ),
    ],
)
def test_invalid_glob(repo: Path, charter: Charter, glob: str, problem: str) -> None:
    extra = f"""
        constraints:
          - kind: protected
            paths: ["{glob}"]
        """
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra=extra))
    assert validate(charter, repo) == (
        2,
        [
            f"docs/decisions/0001-a.md:7: error: constraints[0].paths: {problem}",
            "0 valid decisions; 1 error, 0 warnings",
        ],
    )


# --- the decisions as a set -----------------------------------------------------------


def test_duplicate_decision_id_is_reported_even_when_the_other_file_is_invalid(
    repo: Path, charter: Charter
) -> None:
    write_decision(repo, "0001-a.md", decision("ADR-0001"))
    write_decision(repo, "0002-b.md", decision("ADR-0001", status="acceptd"))
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0002-b.md:2: error: duplicate decision id 'ADR-0001': also used by "
            "docs/decisions/0001-a.md:2; give each decision its own id",
            "docs/decisions/0002-b.md:4: error: status: 'acceptd' is not a status (did you mean "
            "'accepted'?); use proposed, accepted, deprecated, superseded or rejected",
            "1 valid decision; 2 errors, 0 warnings",
        ],
    )


def test_duplicate_constraint_ids(repo: Path, charter: Charter) -> None:
    write_file(repo, "VERSION", "1\n")
    protected = """
        constraints:
          - kind: protected
            id: frozen
            paths: VERSION
        """
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra=protected))
    write_decision(repo, "0002-b.md", decision("ADR-0002", extra=protected))
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0002-b.md:7: error: constraints[0]: duplicate constraint id 'frozen' "
            "(also at docs/decisions/0001-a.md:7); ids name waivers and baseline entries, so "
            "each must be unique",
            "2 valid decisions; 1 error, 0 warnings",
        ],
    )


def test_dangling_and_self_supersession(repo: Path, charter: Charter) -> None:
    extra = """
        supersedes:
          - ADR-0099
          - ADR-0001
        """
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra=extra))
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0001-a.md:6: error: supersedes: no decision has id 'ADR-0099'; fix "
            "the id or remove it",
            "docs/decisions/0001-a.md:7: error: supersedes: 'ADR-0001' is this decision",
            "1 valid decision; 2 errors, 0 warnings",
        ],
    )


def test_supersession_cycle(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra="supersedes: ADR-0002"))
    write_decision(repo, "0002-b.md", decision("ADR-0002", extra="supersedes: [ADR-0001]"))
    assert validate(charter, repo) == (
        2,
        [
            "docs/decisions/0001-a.md:5: error: supersession cycle: ADR-0001 -> ADR-0002 -> "
            "ADR-0001; a decision cannot be replaced by one it replaces",
            "2 valid decisions; 1 error, 0 warnings",
        ],
    )


def test_every_problem_of_every_file_is_reported_in_one_run(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-a.md", decision("ADR-0001", status="acceptd"))
    write_decision(repo, "0002-b.md", "---\nid: ADR-0002\ntitle: Open\n")
    write_decision(repo, "0003-c.md", decision("ADR-0003", extra="supersedes: ADR-0042"))
    write_decision(repo, "0004-d.md", decision("ADR-0004", extra="owner: me"))
    write_decision(repo, "0005-e.md", b"---\nid: ADR-0005\ntitle: \xff\n---\n")
    code, lines = validate(charter, repo)
    assert code == 2
    assert [line.split(": ", 2)[:2] for line in lines[:-1]] == [
        ["docs/decisions/0001-a.md:4", "error"],
        ["docs/decisions/0002-b.md:1", "error"],
        ["docs/decisions/0003-c.md:5", "error"],
        ["docs/decisions/0004-d.md:5", "warning"],
        ["docs/decisions/0005-e.md:1", "error"],
    ]
    assert lines[-1] == "2 valid decisions; 4 errors, 1 warning"


# --- the decisions against the repository ---------------------------------------------


def test_glob_matching_no_file_warns_and_strict_fails(repo: Path, charter: Charter) -> None:
    write_file(repo, "migrations/0001.sql", "create table t;\n")
    extra = """
        constraints:
          - kind: protected
            paths: ["migrations/*.sql", "migratoins/*.sql"]
        """
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra=extra))
    warning = (
        "docs/decisions/0001-a.md:7: warning: constraints[0].paths[1]: glob 'migratoins/*.sql' "
        "matches no file in the repository"
    )
    assert validate(charter, repo) == (0, [warning, "1 valid decision; 0 errors, 1 warning"])
    assert validate(charter, repo, "--strict") == (
        2,
        [warning, "1 valid decision; 0 errors, 1 warning"],
    )


def test_deny_glob_matching_nothing_is_not_reported(repo: Path, charter: Charter) -> None:
    extra = """
        constraints:
          - kind: file-placement
            deny: ["legacy/**"]
        """
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra=extra))
    assert validate(charter, repo, "--strict") == (0, [])


def test_globs_of_inert_decisions_are_not_checked(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-a.md", decision("ADR-0001", "rejected", 'scope: ["gone/**"]'))
    assert validate(charter, repo, "--strict") == (0, [])


def test_module_names_resolve_under_source_roots_or_declared_dependencies(
    tmp_path: Path, charter: Charter
) -> None:
    pyproject = PYPROJECT + 'dependencies = ["Fancy-Lib>=1.0"]\n'
    root = make_repo(tmp_path / "repo", pyproject)
    write_file(root, "src/app/__init__.py")
    write_file(root, "src/app/api.py")
    extra = """
        constraints:
          - kind: forbid-import
            from: [app.api, app.views, ap.api]
            to: [fancy_lib, fancy_lbi]
        """
    write_decision(root, "0001-a.md", decision("ADR-0001", extra=extra))
    assert validate(charter, root) == (
        2,  # a module that does not exist would check nothing: an error, as in import-linter
        [
            "docs/decisions/0001-a.md:7: error: constraints[0].from[1]: module 'app.views' "
            "matches no module under the source roots; fix the name, or the "
            "source_roots/packages settings (charter config)",
            "docs/decisions/0001-a.md:7: error: constraints[0].from[2]: module 'ap.api' "
            "(did you mean 'app.api'?) matches no module under the source roots; fix the "
            "name, or the "
            "source_roots/packages settings (charter config)",
            "docs/decisions/0001-a.md:8: warning: constraints[0].to[1]: module 'fancy_lbi' is "
            "not under the source roots, not a declared dependency in pyproject.toml and not "
            "installed; check the spelling",
            "1 valid decision; 2 errors, 1 warning",
        ],
    )


def test_a_module_still_to_be_written_is_allowed_only_when_optional(
    tmp_path: Path, charter: Charter
) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, "app/__init__.py")
    write_file(root, "app/api.py", "from app import views\n")
    extra = """
        constraints:
          - kind: forbid-import
            from: [app.api, app.views]
            to: [app.db, app.cache]
            optional: [app.views, app.db]
        """
    write_decision(root, "0001-a.md", decision("ADR-0001", extra=extra))
    # app.cache is inside the first-party package app: a misspelt 'to' would check nothing.
    code, lines = validate(charter, root)
    assert (code, lines[:-1]) == (
        2,
        [
            "docs/decisions/0001-a.md:8: error: constraints[0].to[1]: module 'app.cache' "
            "matches no module under the source roots"
        ],
    )
    code, _, err = charter("check", "--all", "--root", root)
    assert code == 2 and "app.cache" in err and "app.db" not in err


def test_missing_decisions_folder(tmp_path: Path, charter: Charter) -> None:
    root = make_repo(tmp_path / "repo")
    assert validate(charter, root) == (
        2,
        [
            "docs/decisions:0: error: decisions folder 'docs/decisions' does not exist: create "
            "it, or set 'decisions' under [tool.charter] in pyproject.toml",
            "0 valid decisions; 1 error, 0 warnings",
        ],
    )


def test_docs_adr_is_found_when_docs_decisions_is_absent(tmp_path: Path, charter: Charter) -> None:
    root = make_repo(tmp_path / "repo")
    write_decision(root, "0001-a.md", decision("ADR-0001"), folder="docs/adr")
    assert validate(charter, root, "-v") == (
        0,
        [
            "ADR-0001     accepted    0 constraints  docs/adr/0001-a.md: T",
            "1 valid decision; 0 errors, 0 warnings",
        ],
    )


# --- status -------------------------------------------------------------------------


def _catalog(root: Path) -> tuple[catalog.Catalog, dict[str, load.DecisionFile]]:
    loaded = load.load_folder(root, "docs/decisions")
    assert loaded.problems == ()
    built, problems = catalog.build(loaded.files, loaded.headers)
    assert problems == []
    return built, {item.decision.id: item for item in loaded.files}


def test_status_decides_enforcement_and_severity(repo: Path) -> None:
    constraints = """
        constraints:
          - kind: protected
            paths: pyproject.toml
            severity: error
          - kind: protected
            paths: pyproject.toml
            severity: warning
          - kind: protected
            paths: pyproject.toml
        """
    for number, status in enumerate(("accepted", "proposed", "rejected", "deprecated"), 1):
        ident = f"ADR-000{number}"
        write_decision(repo, f"000{number}-a.md", decision(ident, status, constraints))
    built, by_id = _catalog(repo)
    assert {ident: built.enforcement(item) for ident, item in by_id.items()} == {
        "ADR-0001": "error",
        "ADR-0002": "warning",
        "ADR-0003": "off",
        "ADR-0004": "off",
    }
    assert [(active.id, active.severity) for active in built.active()] == [
        ("ADR-0001/1", "error"),
        ("ADR-0001/2", "warning"),
        ("ADR-0001/3", "error"),
        ("ADR-0002/1", "warning"),  # a proposal never blocks, whatever it asks for
        ("ADR-0002/2", "warning"),
        ("ADR-0002/3", "warning"),
    ]


def test_accepted_decision_supersedes_but_proposed_and_rejected_do_not(
    repo: Path, charter: Charter
) -> None:
    write_decision(repo, "0001-old.md", decision("ADR-0001"))
    write_decision(repo, "0002-new.md", decision("ADR-0002", extra="supersedes: [ADR-0001]"))
    write_decision(repo, "0003-kept.md", decision("ADR-0003"))
    write_decision(repo, "0004-idea.md", decision("ADR-0004", "proposed", "supersedes: ADR-0003"))
    write_decision(repo, "0005-no.md", decision("ADR-0005", "rejected", "supersedes: ADR-0003"))
    built, by_id = _catalog(repo)
    assert built.status(by_id["ADR-0001"]) == "superseded"
    assert built.enforcement(by_id["ADR-0001"]) == "off"
    assert built.status(by_id["ADR-0003"]) == "accepted"
    assert built.enforcement(by_id["ADR-0003"]) == "error"
    assert validate(charter, repo, "-v") == (
        0,
        [
            "ADR-0001     superseded  0 constraints  docs/decisions/0001-old.md: T",
            "ADR-0002     accepted    0 constraints  docs/decisions/0002-new.md: T",
            "ADR-0003     accepted    0 constraints  docs/decisions/0003-kept.md: T",
            "ADR-0004     proposed    0 constraints  docs/decisions/0004-idea.md: T",
            "ADR-0005     rejected    0 constraints  docs/decisions/0005-no.md: T",
            "5 valid decisions; 0 errors, 0 warnings",
        ],
    )


def test_verbose_lists_each_decision_with_its_constraint_count(
    repo: Path, charter: Charter
) -> None:
    extra = """
        constraints:
          - kind: protected
            paths: pyproject.toml
          - kind: forbid-pattern
            pattern: TODO
        """
    write_decision(repo, "0001-a.md", decision("ADR-0001", extra=extra, title="Two rules"))
    write_decision(repo, "0002-b.md", decision("ADR-0002", "deprecated", title="No rules"))
    code, out, _ = charter("validate", "--root", repo, "--verbose")
    assert code == 0
    assert out == (
        "ADR-0001     accepted    2 constraints  docs/decisions/0001-a.md: Two rules\n"
        "ADR-0002     deprecated  0 constraints  docs/decisions/0002-b.md: No rules\n"
        "2 valid decisions; 0 errors, 0 warnings\n"
    )


# --- the shipped examples (read only) -------------------------------------------------


def test_invoicing_example_is_clean(charter: Charter) -> None:
    assert validate(charter, EXAMPLES / "invoicing") == (0, [])


def test_broken_example_reports_every_file_and_exits_2(tmp_path: Path) -> None:
    code, out, err = run_cli("validate", "--root", str(EXAMPLES / "broken"), cwd=tmp_path)
    assert (code, err) == (2, "")
    lines = out.splitlines()
    assert lines[-1] == "1 valid decision; 10 errors, 1 warning"
    named = {line.split(":", 1)[0] for line in lines[:-1]}
    assert named == {
        f"docs/decisions/{name}.md"
        for name in ("0001-typo-in-a-constraint", "0002-bad-values", "0003-duplicate", "0004-yaml")
    }


def test_real_process_validates_from_the_working_directory(repo: Path) -> None:
    write_decision(repo, "0001-a.md", decision("ADR-0001", status="acceptd"))
    code, out, err = run_cli("validate", cwd=repo / "docs")  # the root is found via .git
    assert (code, err) == (2, "")
    assert out.splitlines()[0].startswith("docs/decisions/0001-a.md:4: error: status:")
