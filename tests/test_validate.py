"""``charter validate``: every malformed decision is reported as ``path:line: severity: message``.

This file: a malformed file, and wrong keys and values; test_validate_set.py: the
decisions as a set, against the repository, their status.

Each test builds a small repository, runs the command in-process and compares the whole
output, so a changed message, line number or exit code is noticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.repo import (
    Charter,
    decision,
    validate,
    write_decision,
    write_file,
)

from charter.hooks.decisions import load
from charter.hooks.kinds import KINDS, forbid_import

KINDS_LIST = ", ".join(KINDS)  # in the registry's order (tests/data/golden pins it)
FORBID_IMPORT_KEYS = (
    "allow_type_checking, as_packages, exclude, from, id, ignore_imports, message, optional, "
    "paths, remedy, replacement, severity, to, transitive, unmatched_ignore_imports"
)
DECISION_KEYS = "id, title, status, date, supersedes, tags, scope, constraints, adopted"


# --- malformed files ------------------------------------------------------------------

# One decision file, and the whole output of ``charter validate`` on it (exit code 2):
# (file name, its text, the error lines, the summary line).
NONE_VALID = "0 valid decisions; 1 error, 0 warnings"
MALFORMED_FILES = [
    pytest.param(
        "0001-colon.md",
        "---\nid: ADR-0001\ntitle: Broken: colon in a plain value\nstatus: accepted\n---\n",
        [
            "docs/decisions/0001-colon.md:3: error: malformed YAML front matter: mapping values "
            "are not allowed in this context (a value containing ': ' must be quoted)"
        ],
        NONE_VALID,
        id="malformed YAML hints at quoting a value with a colon",
    ),
    pytest.param(
        "0001-open.md",
        "---\nid: ADR-0001\ntitle: T\nstatus: accepted\n# T\n",
        [
            "docs/decisions/0001-open.md:1: error: front matter is not closed: add a line '---' "
            "after it"
        ],
        NONE_VALID,
        id="front matter not closed",
    ),
    *(
        pytest.param(
            "0001-list.md",
            f"---\n{front}\n---\n",
            [
                "docs/decisions/0001-list.md:2: error: front matter must be a mapping of "
                "'key: value' lines"
            ],
            NONE_VALID,
            id=f"front matter that is not a mapping: {front!r}",
        )
        for front in ["- id: ADR-0001\n- status: accepted", "just some words"]
    ),
    pytest.param(
        "0001-a.md",
        "---\nid: ADR-0001\ntitle: T\n---\n",
        [
            "docs/decisions/0001-a.md:2: error: missing required key 'status' in the front "
            "matter: add 'status: ...'"
        ],
        NONE_VALID,
        id="missing status",
    ),
    pytest.param(
        "use-postgres.md",
        "---\ntitle: Use Postgres\nstatus: accepted\n---\n",
        [
            "docs/decisions/use-postgres.md:2: error: missing required key 'id' in the front "
            "matter: add 'id: ...'"
        ],
        NONE_VALID,
        id="missing id that the file name cannot provide",
    ),
    pytest.param(
        "0001-latin1.md",
        b"---\nid: ADR-0001\ntitle: caf\xe9\nstatus: accepted\n",
        [
            "docs/decisions/0001-latin1.md:1: error: not valid UTF-8 (invalid continuation "
            "byte); save the file as UTF-8"
        ],
        NONE_VALID,
        id="non-UTF-8 file",
    ),
    pytest.param(
        "0001-a.md",
        decision("ADR-0001", extra="date: 2026-13-01"),
        [
            "docs/decisions/0001-a.md:5: error: malformed YAML front matter: cannot read the "
            "value '2026-13-01': month must be in 1..12"
        ],
        NONE_VALID,
        id="an impossible date is an error, not a crash",
    ),
]


def test_malformed_yaml_without_a_colon_gets_no_quoting_hint(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-tab.md", decision("ADR-0001", extra="tags:\n\t- a"))
    code, lines = validate(charter, repo)
    assert code == 2
    assert lines[0].startswith("docs/decisions/0001-tab.md:6: error: malformed YAML front matter")
    assert "must be quoted" not in lines[0]


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

WRONG_KEYS_AND_VALUES = [
    pytest.param(
        "0001-a.md",
        decision(
            "ADR-0001",
            extra="""
            constraints:
              - kind: forbid-import
                from: app.api
                to: app.db
                mesage: Use a repository.
            """,
        ),
        [
            "docs/decisions/0001-a.md:9: error: constraints[0].mesage: unknown key 'mesage' in a "
            "'forbid-import' constraint (did you mean 'message'?); allowed keys: "
            f"{FORBID_IMPORT_KEYS}"
        ],
        NONE_VALID,
        id="an unknown key in a constraint is an error",
    ),
    pytest.param(
        "0001-a.md",
        decision(
            "ADR-0001",
            extra="""
            constraints:
              - kind: forbid-imports
                from: app.api
                to: app.db
              - from: app.api
                to: app.db
            """,
        ),
        [
            "docs/decisions/0001-a.md:6: error: constraints[0]: unknown constraint kind "
            f"'forbid-imports' (did you mean 'forbid-import'?); kinds: {KINDS_LIST}",
            "docs/decisions/0001-a.md:9: error: constraints[1]: constraint has no 'kind'; add "
            f"one of: {KINDS_LIST}",
        ],
        "0 valid decisions; 2 errors, 0 warnings",
        id="unknown kind and missing kind",
    ),
    pytest.param(
        "0001-a.md",
        decision(
            "ADR-0001",
            extra="""
            tags: 5
            constraints:
              - kind: forbid-import
                from: app.api
                to: app.db
                transitive: maybe
            """,
        ),
        [
            "docs/decisions/0001-a.md:5: error: tags: Input should be a list (got 5)",
            "docs/decisions/0001-a.md:10: error: constraints[0].transitive: Input should be a "
            "valid boolean, unable to interpret input (got 'maybe')",
        ],
        "0 valid decisions; 2 errors, 0 warnings",
        id="values of the wrong type",
    ),
    pytest.param(
        "0001-a.md",
        decision(
            "ADR-0001",
            extra="""
            constraints:
              - kind: forbid-import
                from: app.api
                to: [5]
            """,
        ),
        [
            "docs/decisions/0001-a.md:8: error: constraints[0].to[0]: Input should be a valid "
            "string (got 5)"
        ],
        NONE_VALID,
        id="a bad item is not also reported as too few items",
    ),
    pytest.param(
        "0001-a.md",
        decision("ADR-0001", extra="status: proposed"),
        [
            "docs/decisions/0001-a.md:5: error: status: key given twice (first on line 4); YAML "
            "would keep only the last one: remove one of them"
        ],
        "1 valid decision; 1 error, 0 warnings",
        id="a duplicate YAML key",
    ),
    pytest.param(
        "0001-a.md",
        decision(
            "ADR-0001",
            extra="""
            constraints:
              - kind: forbid-pattern
                pattern: "print(("
            """,
        ),
        [
            "docs/decisions/0001-a.md:7: error: constraints[0].pattern: invalid regular "
            "expression 'print((': missing ), unterminated subpattern at position 6"
        ],
        NONE_VALID,
        id="an invalid regex",
    ),
    *(
        pytest.param(
            "0001-a.md",
            decision(
                "ADR-0001",
                extra=f"""
                constraints:
                  - kind: protected
                    paths: ["{glob}"]
                """,
            ),
            [f"docs/decisions/0001-a.md:7: error: constraints[0].paths: {problem}"],
            NONE_VALID,
            id=f"an invalid glob: {glob}",
        )
        for glob, problem in [
            ("/abs/*.py", "glob '/abs/*.py' is absolute; write it relative to the repository root"),
            ("../other/*.py", "glob '../other/*.py' leaves the repository with '..'"),
            (
                "src/[z-a].py",
                "glob 'src/[z-a].py' has a range running backwards: write it low to high, as "
                "'[a-z]'",
            ),
        ]
    ),
]


@pytest.mark.parametrize(
    ("name", "text", "errors", "summary"), [*MALFORMED_FILES, *WRONG_KEYS_AND_VALUES]
)
def test_a_wrong_file_is_reported_at_its_line(
    repo: Path, charter: Charter, name: str, text: str | bytes, errors: list[str], summary: str
) -> None:
    write_decision(repo, name, text)
    assert validate(charter, repo) == (2, [*errors, summary])


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


def test_misspelled_status_suggests_the_right_one(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-a.md", decision("ADR-0001", status="acceptd"))
    assert validate(charter, repo)[1][0] == (
        "docs/decisions/0001-a.md:4: error: status: 'acceptd' is not a status (did you mean "
        "'accepted'?); use proposed, accepted, deprecated, superseded or rejected"
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
    assert isinstance(constraint, forbid_import.model())
    assert constraint.to == ("app.db",)
    assert constraint.from_ == ("app.api",)
