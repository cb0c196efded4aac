"""``charter explain ID``: what a decision checks, why, a violation and its fix."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from support.repo import EXAMPLES, REPO, Charter, decision, write_decision

from charter.hooks.agents.explain import example
from charter.hooks.agents.records import Rule
from charter.hooks.globs import GlobSet
from charter.hooks.kinds import KINDS

INVOICING = EXAMPLES / "invoicing"

# Constraints whose examples are checked word for word; any other kind shows its sample.
CONSTRAINTS: dict[str, dict[str, Any]] = {
    "forbid-import": {"from": ["app.api"], "to": ["app.db"]},
    "layers": {"layers": ["api", "services", ["repos", "clients"], "db"], "containers": ["app"]},
    "independent": {"modules": ["app.plugins.*"]},
    "acyclic": {"packages": ["app"]},
    "banned-api": {"names": ["pickle.loads"], "replacement": "app.safe.loads"},
    "dependencies": {"allow": ["requests", "pydantic"]},
    "file-placement": {"deny": ["*.py"]},
    "forbid-pattern": {"pattern": r"(?i)drop\s+table", "files": ["migrations/**/*.sql"]},
    "require-pattern": {"pattern": "^# Copyright", "files": ["src/**/*.py"]},
    "ruff": {"select": ["E501", "T20"]},
    "protected": {"paths": ["migrations/0*_*.sql"]},
    "protected-modules": {"modules": ["app.db"], "allowed_importers": ["app.repositories"]},
    "private-modules": {"packages": ["app"]},
    "co-change": {"when": ["migrations/*.sql"], "require": ["CHANGELOG.md"]},
    "python": {"check": "tools.checks:no_todo"},
}


def rule(kind: str, remedy: str | None = None) -> Rule:
    fields = CONSTRAINTS.get(kind, KINDS[kind].sample)
    return Rule("ADR-1/1", kind, "error", {"kind": kind, **fields}, None, remedy)


def test_every_kind_has_an_example_of_a_violation_and_a_fix() -> None:
    for kind in KINDS:
        violation, fix = example(rule(kind))
        assert violation and fix and "None" not in violation + fix, kind
    assert example(rule("protected", "Add a new migration"))[1] == "Add a new migration."


def test_examples_name_what_the_constraint_names() -> None:
    assert example(rule("forbid-import"))[0] == "`import app.db` in a module of `app.api`"
    assert "`import app.api` in a module of `app.db`" in example(rule("layers"))[0]
    assert (
        example(rule("independent"))[0] == "`import app.plugins.b` in a module of `app.plugins.a`"
    )
    assert example(rule("banned-api"))[1] == "Call `app.safe.loads` instead."
    assert "`import numpy`" in example(rule("dependencies"))[0]
    # The example paths are ones the globs really match.
    for kind, key in (("protected", "paths"), ("co-change", "when"), ("file-placement", "deny")):
        violation = example(rule(kind))[0]
        path = violation.split("`")[1]
        assert GlobSet(CONSTRAINTS[kind][key]).match(path), (kind, path)


def test_explain_a_decision(charter: Charter) -> None:
    code, out, err = charter("explain", "--root", INVOICING, "ADR-0002")
    assert (code, err) == (0, "")
    assert out.startswith(
        "# ADR-0002: The API layer reaches storage only through repositories\n\n"
        "- Status: accepted (enforced: a violation blocks the commit)\n"
        "- File: `docs/decisions/0002-api-reaches-storage-through-repositories.md`\n"
    )
    assert "### ADR-0002/1 [forbid-import]\n\nDo not import invoicing.db or sqlalchemy" in out
    assert "- Violation: `import invoicing.db` in a module of `invoicing.api`" in out
    assert "- Fix: Call a service, which uses invoicing.repositories." in out
    assert "## Why\n\nHandlers that query the database skip the business rules" in out


def test_explain_one_constraint(charter: Charter) -> None:
    code, out, _ = charter("explain", "--root", INVOICING, "ADR-0005/2")
    assert code == 0
    assert "### ADR-0005/2 [co-change]" in out
    assert "ADR-0005/1" not in out and "ADR-0005/3" not in out


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        ("ADR-002", "no decision or constraint 'ADR-002' in docs/decisions (did you mean ADR-0002"),
        ("ADR-0001", "docs/decisions/0001-old.md: ADR-0001 is superseded: not in force"),
    ],
)
def test_an_id_not_in_force_is_a_usage_error(
    repo: Path, charter: Charter, wanted: str, message: str
) -> None:
    write_decision(repo, "0001-old.md", decision("ADR-0001", status="superseded"))
    write_decision(repo, "0002-new.md", decision("ADR-0002", title="New"))
    code, out, err = charter("explain", "--root", repo, wanted)
    assert (code, out) == (2, "")
    assert message in err


def test_a_decision_without_constraints_or_prose(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-x.md", decision("ADR-0001", status="proposed", title="Bare"))
    code, out, _ = charter("explain", "--root", repo, "ADR-0001")
    assert code == 0
    assert "- Status: proposed (a violation is a warning; it does not block yet)" in out
    assert "Nothing machine-checked: the decision is prose only." in out
    assert "The decision file gives no reasons yet." in out


def test_the_example_in_the_docs_is_what_the_command_prints(charter: Charter) -> None:
    page = (REPO / "docs" / "writing-decisions.md").read_text()
    (shown,) = re.findall(r"```console\n\$ charter explain ADR-0002\n(.*?)```", page, re.DOTALL)
    assert charter("explain", "--root", INVOICING, "ADR-0002")[1] == shown
