"""``charter schema``: the JSON Schema editors use to check a decision's front matter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from support.repo import EXAMPLES, Charter

from charter.hooks.kinds import KINDS

EXAMPLE_DECISIONS = sorted(
    path
    for path in (EXAMPLES / "invoicing" / "docs" / "decisions").glob("*.md")
    if path.name != "README.md"
)


def front_matter(path: Path) -> dict[str, Any]:
    """The YAML front matter as JSON data (YAML dates become strings)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "---", path
    end = lines.index("---", 1)
    data = yaml.safe_load("\n".join(lines[1:end]))
    assert isinstance(data, dict)
    converted: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return converted


@pytest.fixture
def schema(charter: Charter) -> dict[str, Any]:
    code, out, err = charter("schema")
    assert (code, err) == (0, "")
    parsed: dict[str, Any] = json.loads(out)
    return parsed


def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["title"] == "Charter decision record"


def test_the_examples_are_there() -> None:
    assert len(EXAMPLE_DECISIONS) == 11


@pytest.mark.parametrize("path", EXAMPLE_DECISIONS, ids=lambda path: path.name)
def test_every_shipped_example_validates(schema: dict[str, Any], path: Path) -> None:
    errors = [error.message for error in validator(schema).iter_errors(front_matter(path))]
    assert errors == []


def test_madr_front_matter_without_id_and_title_validates(schema: dict[str, Any]) -> None:
    # charter validate takes them from the file name and the first heading
    assert list(validator(schema).iter_errors({"status": "accepted"})) == []
    assert not validator(schema).is_valid({"id": "ADR-0001", "title": "T"})


@pytest.mark.parametrize(
    "constraint",
    [
        {"kind": "forbid-import", "from": "app.api", "tto": "app.db"},  # typo in a key
        {"kind": "forbid-imports", "from": "app.api", "to": "app.db"},  # unknown kind
        {"from": "app.api", "to": "app.db"},  # no kind
        {"kind": "forbid-import", "from": "app.api", "to": "app.db", "transitive": "maybe"},
    ],
)
def test_schema_rejects_what_validate_rejects(
    schema: dict[str, Any], constraint: dict[str, Any]
) -> None:
    data = {"id": "ADR-0001", "title": "T", "status": "accepted", "constraints": [constraint]}
    assert not validator(schema).is_valid(data)


def test_schema_rejects_an_unknown_status(schema: dict[str, Any]) -> None:
    assert not validator(schema).is_valid({"id": "A", "title": "T", "status": "acceptd"})


def test_schema_accepts_one_string_for_a_list(schema: dict[str, Any]) -> None:
    constraint = {"kind": "forbid-import", "from": "app.api", "to": "app.db"}
    data = {"id": "A", "title": "T", "status": "accepted", "tags": "x", "constraints": [constraint]}
    assert validator(schema).is_valid(data)


def test_schema_lists_every_constraint_kind(schema: dict[str, Any]) -> None:
    items = schema["properties"]["constraints"]["items"]
    assert set(items["discriminator"]["mapping"]) == set(KINDS)
    kinds = [
        schema["$defs"][ref["$ref"].rsplit("/", 1)[1]]["properties"]["kind"]["const"]
        for ref in items["oneOf"]
    ]
    assert sorted(kinds) == sorted(KINDS)
