"""The import-rule fields and kinds added for import-linter parity, as a user meets them:
validation errors that name the file, the line and the fix; the instruction an agent
reads; and what ``charter check`` reports (the parity files compare with lint-imports).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.parity import Charter, write_decision_constraint
from support.repo import write_file

from charter.hooks.agents.instructions import action
from charter.hooks.agents.records import Rule


def _validate(charter: Charter, repo: Path) -> tuple[int, str]:
    code, out, err = charter("validate", "--root", repo)
    return code, out + err


@pytest.mark.parametrize(
    ("constraint", "problem"),
    [
        pytest.param(
            "kind: layers\nlayers: [pkg.a, pkg.b]\nignore_imports: ['pkg.a pkg.b']",
            "'pkg.a pkg.b' is not an import: write 'importer -> imported'",
            id="ignore-without-arrow",
        ),
        pytest.param(
            "kind: layers\nlayers: [pkg.a, pkg.b]\nexhaustive: true",
            "'exhaustive' needs 'containers'",
            id="exhaustive-without-containers",
        ),
        pytest.param(
            "kind: layers\nlayers: ['pkg.a : pkg.b | pkg.c', pkg.d]",
            "a layer cannot mix ':' and '|' siblings",
            id="mixed-siblings",
        ),
        pytest.param(
            "kind: acyclic\npackages: [pkg]\ndepth: -1",
            "depth",
            id="negative-depth",
        ),
        pytest.param(
            "kind: forbid-import\nfrom: pkg.a\nto: pkg.b\nunmatched_ignore_imports: loud",
            "'error', 'warning' or 'off'",
            id="alerting",
        ),
    ],
)
def test_bad_fields_name_the_file_and_the_fix(
    repo: Path, charter: Charter, constraint: str, problem: str
) -> None:
    write_file(repo, "pkg/__init__.py")
    write_decision_constraint(repo, constraint)
    code, output = _validate(charter, repo)
    assert code == 2, output
    assert "docs/decisions/0001-parity.md:" in output and problem in output


def _rule(kind: str, **fields: object) -> Rule:
    return Rule("ADR-0001/1", kind, "error", dict(fields), None, None)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (
            _rule("protected-modules", modules=["app.db"], allowed_importers=["app.repo"]),
            "Import app.db only from app.repo",
        ),
        (_rule("private-modules", packages=["app"]), "Import a private module (a name starting"),
        (
            _rule(
                "forbid-import",
                **{"from": ["app.a"], "to": ["app.b"]},
                ignore_imports=["app.a.x -> app.b.y"],
            ),
            "(allowed exceptions: app.a.x -> app.b.y)",
        ),
        (_rule("layers", layers=["app.ui", "app.x : app.y"]), "app.ui > (app.x : app.y)"),
        (_rule("acyclic", packages=["app"], depth=2), "(and 2 levels below)"),
        (
            _rule("layers", layers=["api", "db"], containers=["app"], exhaustive=True),
            "every subpackage must be one of the layers",
        ),
    ],
)
def test_each_new_field_and_kind_has_an_agent_instruction(rule: Rule, words: str) -> None:
    assert words in action(rule)


def test_unmatched_ignore_imports_is_reported_at_its_line(repo: Path, charter: Charter) -> None:
    write_file(repo, "pkg/__init__.py")
    write_file(repo, "pkg/a.py", "import pkg.b\n")
    write_file(repo, "pkg/b.py")
    write_decision_constraint(
        repo,
        "kind: forbid-import\nfrom: pkg.a\nto: pkg.b\n"
        "ignore_imports: ['pkg.a -> pkg.b', 'pkg.gone -> pkg.b']",
    )
    code, out, _ = charter("check", "--all", "--root", repo)
    assert code == 1
    assert "docs/decisions/0001-parity.md:9:1" in out
    assert "ignore_imports entry 'pkg.gone -> pkg.b' matches no import" in out
    assert "pkg/a.py" not in out  # the matched entry lets the import through
