"""Every constraint kind is one record in one module, and nothing else names it.

A kind added to the registry without one of its parts (model, check, strictness,
instruction, ...) fails here, as does a kind name spelled outside its own module.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest

from charter.hooks.decisions.model import MODELS, decision_json_schema
from charter.hooks.kinds import KINDS, Kind, Reads, kind_of
from charter.hooks.kinds.kind import yaml_fields

REPO = Path(__file__).resolve().parents[1]


def _model_fields(kind: Kind) -> dict[str, object]:
    model = kind.model()
    return {name: info for name, info in model.model_fields.items()}


def test_the_decision_model_accepts_exactly_the_registered_kinds() -> None:
    literals = [typing.get_args(t.model_fields["kind"].annotation)[0] for t in MODELS.values()]
    assert list(KINDS) == literals == list(MODELS)  # in the order of the JSON Schema
    assert [kind.model() for kind in KINDS.values()] == list(MODELS.values())
    # Each kind has a place of its own in every list of kinds (the schema's order).
    assert len({kind.rank for kind in KINDS.values()}) == len(KINDS)


def test_a_kind_model_is_built_once_and_named_after_the_kind() -> None:
    for kind in KINDS.values():
        model = kind.model()
        assert kind.model() is model  # pydantic builds each model once
        assert model.__module__ == f"charter.hooks.kinds.{kind.name.replace('-', '_')}" or (
            kind.name == "python" and model.__module__ == "charter.hooks.kinds.plugin"
        )


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_has_every_part(name: str) -> None:
    kind = kind_of(name)
    model = kind.model()
    assert kind.sample, "a kind shows one valid constraint of its own (Kind.sample)"
    example = model.model_validate({"kind": name, **kind.sample})
    fields = yaml_fields(example)
    attributes = set(_model_fields(kind))
    # What it reads decides which check it has: a snapshot's, or a change's.
    assert (kind.check is None) == (kind.reads is Reads.CHANGE)
    assert (kind.check_change is None) == (kind.reads is not Reads.CHANGE)
    # Governance knows how every kind-specific field may change.
    own = attributes - {"kind", "id", "message", "remedy", "severity", "paths", "exclude"}
    own -= {"replacement"}  # an autofix's target: changing it weakens nothing
    if kind.relaxations is None:  # else it judges the rest itself (a layer order)
        assert set(kind.strictness) >= own, own - set(kind.strictness)
    assert set(kind.strictness) <= attributes
    # The instruction reads as an order, from the kind's own fields.
    text = kind.instruction(fields)
    assert text and text[0].isupper()
    for field, value in fields.items():
        # How an unmatched ignore_imports entry is reported is not the agent's business.
        if isinstance(value, str) and field not in (
            "kind",
            "replacement",
            "unmatched_ignore_imports",
        ):
            assert value in text, (value, text)
    # Globs, targets and module names are fields of its model.
    yaml_names = {info.alias or attr for attr, info in model.model_fields.items()}
    assert set(kind.globs) <= yaml_names and set(kind.targets) <= yaml_names
    assert set(kind.qualified_names) <= yaml_names
    for named in kind.modules(fields):
        assert named.field in yaml_names and named.name
    assert kind.fix is None or "replacement" in attributes
    # The kinds reference says what it checks; `charter explain` shows a violation and a fix.
    assert kind.summary and kind.example is not None
    violation, fix = kind.example(fields)
    assert violation and fix and "None" not in violation + fix
    # It lives in a module of its own, named after it.
    module = REPO / "hooks" / "kinds" / f"{name.replace('-', '_')}.py"
    assert module.is_file() or name == "python"  # python's module keeps its public name


def test_layer_names_expand_in_each_container_in_the_order_written() -> None:
    fields = {"layers": ["api", ["service", "jobs"]], "containers": ["a", "b"]}
    named = [(m.position, m.name) for m in kind_of("layers").modules(fields)]
    assert named == [
        (0, "a.api"),
        (0, "b.api"),
        (1, "a.service"),
        (1, "b.service"),
        (1, "a.jobs"),
        (1, "b.jobs"),
    ]


def test_the_schema_names_every_kind() -> None:
    schema = decision_json_schema()
    assert {
        d["properties"]["kind"]["const"]
        for d in schema["$defs"].values()
        if "kind" in d.get("properties", {})
    } == set(KINDS)


# Words that are kind names but mean something else where they are written.
NOT_A_KIND = {
    ("hooks/source/requirements.py", "dependencies"): "pyproject's [project] dependencies",
    ("simulator/sandbox/image.py", "dependencies"): "pyproject's [project] dependencies",
    ("simulator/scenario.py", "independent"): "a scenario's mode",
    ("simulator/replay.py", "independent"): "a scenario's mode",
    ("simulator/imports/swebench.py", "independent"): "a scenario's mode",
    ("simulator/imports/journal.py", "independent"): "a scenario's mode",
    ("simulator/report/drift.py", "independent"): "a scenario's mode",
    ("hooks/convert/importlinter.py", "layers"): "import-linter's contract type and option",
    ("hooks/convert/importlinter.py", "protected"): "import-linter's contract type",
    ("hooks/convert/tach.py", "layers"): "tach's option, and the field of a layers rule",
    ("hooks/source/rufftool.py", "ruff"): "ruff's executable and distribution",
}


def test_no_kind_name_is_spelled_outside_its_own_module() -> None:
    names = "|".join(re.escape(name) for name in KINDS)
    quoted = re.compile(rf"""["']({names})["']""")
    stray = []
    for path in sorted([*REPO.glob("hooks/**/*.py"), *REPO.glob("simulator/**/*.py")]):
        rel = path.relative_to(REPO).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in quoted.finditer(line):
                name = match.group(1)
                home = f"hooks/kinds/{name.replace('-', '_')}.py"
                if rel == home or (rel, name) in NOT_A_KIND:
                    continue
                if name == "python" and rel == "hooks/kinds/plugin.py":
                    continue
                stray.append(f"{rel}:{number}: {line.strip()}")
    assert stray == []


def test_every_kind_has_a_unit_test_on_the_in_memory_snapshot() -> None:
    tests = "".join(path.read_text(encoding="utf-8") for path in REPO.glob("tests/test_kind*.py"))
    for kind in KINDS.values():
        module = kind.model.__module__.rpartition(".")[2]  # the kind's own module
        assert re.search(rf"run_(change_)?kind\(\s*{module}\.KIND", tests), kind.name
