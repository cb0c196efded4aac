"""``charter validate`` on the decisions as a set: duplicate ids, supersession, globs and
module names against the repository, status and enforcement, the shipped examples.

Each test builds a small repository, runs the command in-process and compares the whole
output, so a changed message, line number or exit code is noticed.
"""

from __future__ import annotations

from pathlib import Path

from support.repo import (
    EXAMPLES,
    PYPROJECT,
    Charter,
    decision,
    make_repo,
    run_cli,
    validate,
    write_decision,
    write_file,
)

from charter.hooks.decisions import catalog, load

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
