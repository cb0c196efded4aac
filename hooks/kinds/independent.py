"""independent: the listed modules must not import each other."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from charter.hooks.kinds.examples import Example, module_like
from charter.hooks.kinds.import_rules import (
    CHAINS,
    STRICTNESS,
    Rule,
    exceptions,
    forbidden,
    graph_check,
    members,
    required,
)
from charter.hooks.kinds.kind import Fields, Kind, Reads, Strictness, each, join
from charter.hooks.kinds.topics import IMPORTS

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.source.graph import ImportGraph
    from charter.hooks.view import SnapshotView


def judge(
    active: ActiveConstraint, view: SnapshotView, graph: ImportGraph, paths: Sequence[str]
) -> Iterator[Finding]:
    constraint = active.constraint
    in_scope = set(paths)
    found = members(constraint.modules, sorted(view.index.modules))
    # As in import-linter, a chain that runs through another member is that member's.
    for member in found:
        rule = Rule(
            member,
            [other for other in found if other != member],
            constraint.transitive,
            constraint.allow_type_checking,
            lambda source, target: f"{source} imports {target}; they must stay independent",
            found,
        )
        yield from forbidden(active, view, graph, in_scope, rule)


def instruction(f: Fields) -> str:
    text = f"Keep {join(f.get('modules'), 'and')} independent: none may import another"
    return text + exceptions(f)


def check_fields(record: Any) -> None:
    """What the fields must hold together (run with and without pydantic)."""
    if len(record.modules) < 2 and "*" not in record.modules[0]:
        raise ValueError(
            "'modules' needs two or more modules, or a pattern such as 'app.plugins.*'"
        )


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from pydantic import Field

    from charter.hooks.constraint.fields import ImportRule, Modules, checked_by

    class Independent(ImportRule):
        kind: Literal["independent"]
        modules: Modules = Field(
            min_length=1, description="Two or more modules, or a pattern such as 'app.plugins.*'."
        )
        transitive: bool = Field(default=True, description="Also forbid indirect import chains.")
        allow_type_checking: bool = False

        _checks = checked_by(check_fields)

    return Independent


def example(f: Fields) -> Example:
    modules = list(f.get("modules", ()))
    if len(modules) >= 2:
        one, other = module_like(modules[0]), module_like(modules[1])
    else:  # a pattern such as app.plugins.*: two of the modules it matches
        one, other = modules[0].replace("*", "a"), modules[0].replace("*", "b")
    return (
        f"`import {other}` in a module of `{one}`",
        "Move what both need into a module outside them that both may import",
    )


KIND = Kind(
    name="independent",
    rank=30,
    sample={"modules": ["app.a", "app.b"]},
    summary="The listed modules must not import each other.",
    example=example,
    model=model,
    reads=Reads.IMPORT_GRAPH,
    check=graph_check(judge),
    strictness={
        "modules": Strictness.KEEPS,
        **CHAINS,
        **STRICTNESS,
    },
    instruction=instruction,
    vocabulary=lambda f: "independent separate each other share coupling decoupled" + " " + IMPORTS,
    modules=lambda f: required(each("modules", f.get("modules", ()), first_party=True), f),
)
