"""Decision records validated without pydantic give what pydantic gives, or nothing.

``decisions/plain.py`` validates a record from the field table derived from the models,
and leaves to pydantic (``Unsure``) every record whose answer it cannot be certain of.
These tests hold it to that: the table is the models' own; on every shipped set of
records the compiled constraints are byte for byte pydantic's; and over every kind's
fields, set to values of every shape YAML gives, it never accepts what pydantic refuses
and never differs from what pydantic accepts.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from charter.hooks.decisions import compile, load, plain
from charter.hooks.kinds import KINDS

ROOT = Path(__file__).resolve().parents[1]

SHIPPED = [
    "docs/decisions",
    "examples/storefront/docs/decisions",
    "examples/invoicing/docs/decisions",
    "bench/django/decisions",
    "tests/data/retrieval/pipeline/docs/decisions",
]

# Values of every shape a YAML front matter gives, valid for some fields and not others.
ODD = [
    None,
    True,
    False,
    0,
    3,
    -1,
    2.5,
    "",
    "x",
    "app.db",
    "datetime.datetime.now",
    "app.*",
    "app.**",
    "a -> b",
    "src/**",
    "E501",
    "error",
    "off",
    "yes",
    "pkg.mod:func",
    "(",
    [],
    ["app.db"],
    ["app.db", "app.api"],
    ["app", ["b", "c"]],
    [1],
    ["a.b", None],
    {"limit": 3},
    {"when": datetime.date(2024, 1, 1)},
    datetime.date(2024, 4, 13),
]


def test_the_field_table_is_the_models_own() -> None:
    assert plain.table() == json.loads(plain.TABLE.read_text(encoding="utf-8")), (
        "the models changed: run python -m charter.hooks.decisions.plain"
    )


def test_every_kind_is_described_by_the_table() -> None:
    described = json.loads(plain.TABLE.read_text(encoding="utf-8"))["kinds"]
    assert sorted(described) == sorted(KINDS)
    assert [kind for kind, fields in described.items() if fields is None] == []


@pytest.mark.parametrize("folder", SHIPPED)
def test_shipped_records_compile_to_the_same_bytes(folder: str) -> None:
    root, name = ROOT / folder, Path(folder).name
    loaded = plain.load_folder(root.parent, name)
    assert loaded is not None, "every shipped record is one plain.py can be certain of"
    ours = compile._dumps(compile._in_force(loaded))
    theirs = compile._dumps(compile._in_force(load.load_folder(root.parent, name)))
    assert ours == theirs


def test_a_folder_with_an_error_is_left_to_pydantic() -> None:
    root = ROOT / "examples" / "broken" / "docs"
    assert plain.load_folder(root, "decisions") is None
    assert any(p.severity == "error" for p in load.load_folder(root, "decisions").problems)


def test_pydantic_alone_validates_what_the_table_does_not_describe() -> None:
    data = {"id": "ADR-1", "title": "T", "status": "accepted", "adopted": "2024-04-13"}
    with pytest.raises(plain.Unsure):
        plain.decision(data)


def _both(front: dict[str, Any]) -> tuple[Any, Any]:
    """(pydantic's record or None on an error, plain.py's record or None when unsure)."""
    text = "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n"
    theirs = load.parse_text(text, "d.md").file
    try:
        ours = load.parse_text(text, "d.md", plain.decision).file
    except plain.Unsure:
        ours = None
    return (None if theirs is None else theirs.decision), (None if ours is None else ours.decision)


def _same(theirs: Any, ours: Any) -> None:
    for field in ("id", "title", "status", "supersedes", "tags", "scope"):
        assert getattr(ours, field) == getattr(theirs, field), field
    assert [c.model_dump(mode="json") for c in ours.constraints] == [
        c.model_dump(mode="json") for c in theirs.constraints
    ]
    assert [ours.constraint_id(i) for i in range(len(ours.constraints))] == [
        theirs.constraint_id(i) for i in range(len(theirs.constraints))
    ]


def _record(constraint: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"id": "ADR-1", "title": "T", "status": "accepted", **top, "constraints": [constraint]}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kinds_sample_is_taken_as_pydantic_takes_it(kind: str) -> None:
    theirs, ours = _both(_record({"kind": kind, **KINDS[kind].sample}))
    assert theirs is not None and ours is not None
    _same(theirs, ours)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_no_value_of_any_field_is_taken_otherwise_than_by_pydantic(kind: str) -> None:
    described = json.loads(plain.TABLE.read_text(encoding="utf-8"))["kinds"][kind]
    keys = [field["key"] for field in described["fields"] if field["key"] != "kind"]
    taken = 0
    for key in [*keys, "unknown_key"]:
        for value in ODD:
            if kind == "ruff" and key in ("select", "ignore") and value not in ("E501", ["E501"]):
                continue  # each other value asks the installed ruff: slow, and as above
            theirs, ours = _both(_record({"kind": kind, **KINDS[kind].sample, key: value}))
            if ours is None:
                continue  # left to pydantic: always allowed
            assert theirs is not None, f"{key}: {value!r} taken, but pydantic refuses it"
            _same(theirs, ours)
            taken += 1
    assert taken > 0


@pytest.mark.parametrize(
    "top",
    [
        {"status": "proposed"},
        {"status": "Accepted"},
        {"supersedes": "ADR-0"},
        {"supersedes": ["ADR-0", "bad id"]},
        {"scope": "src/**"},
        {"scope": ["src/[a"]},
        {"tags": ["a", 1]},
        {"date": datetime.date(2024, 1, 2)},
        {"date": "2024-01-02"},
        {"title": ""},
        {"id": "-bad"},
        {"layout": "post"},
    ],
)
def test_the_records_own_fields_are_taken_as_pydantic_takes_them(top: dict[str, Any]) -> None:
    theirs, ours = _both(_record({"kind": "banned-api", "names": ["pickle.loads"]}, **top))
    if ours is not None:
        assert theirs is not None, f"{top} taken, but pydantic refuses it"
        _same(theirs, ours)


def test_anything_going_wrong_here_leaves_the_records_to_pydantic(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = ROOT / "examples" / "storefront" / "docs"

    def broken(shape: object, raw: object) -> object:
        raise RuntimeError("a bug in plain.py")

    monkeypatch.setattr(plain, "_value", broken)
    assert plain.load_folder(root, "decisions") is None
    settings = SimpleNamespace(root=root, decisions="decisions")
    theirs = compile._dumps(compile._in_force(load.load_folder(root, "decisions")))
    assert compile._dumps(compile._validate(settings)) == theirs  # type: ignore[arg-type]
