"""forbid-import: modules matching ``from`` must not import modules matching ``to``.

As import-linter's ``forbidden`` contract: each ``from`` module (a pattern names each
module it matches) is checked against each ``to`` module, skipping a pair that is one
module or where one contains the other; every source that reaches a target is
reported, even through another source.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from charter.hooks.kinds.examples import Example, first, module_like
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
from charter.hooks.kinds.kind import (
    Fields,
    Kind,
    ModuleName,
    Reads,
    Rewrite,
    Strictness,
    each,
    or_list,
)
from charter.hooks.kinds.topics import IMPORTS, about

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
    modules = sorted(view.index.modules)
    targets = members(constraint.to, [*modules, *_external(graph)])
    as_packages = constraint.as_packages
    seen: set[tuple[str, int, int, str]] = set()  # overlapping sources find some twice
    for source in members(constraint.from_, modules):
        rule = Rule(
            source,
            [t for t in targets if not _overlap(source, t, as_packages)],
            constraint.transitive,
            constraint.allow_type_checking,
            lambda source, target: f"{source} imports {target}",
            as_packages=as_packages,
        )
        for item in forbidden(active, view, graph, set(paths), rule):
            key = (item.path, item.line, item.col, item.key)
            if key not in seen:
                seen.add(key)
                yield item


def _overlap(a: str, b: str, as_packages: bool) -> bool:
    """import-linter skips a source and a target that are one module or nest."""
    if a == b:
        return True
    return as_packages and (a.startswith(b + ".") or b.startswith(a + "."))


def _external(graph: ImportGraph) -> list[str]:
    """Third-party modules imported somewhere (a wildcard ``to`` may name them): the
    graph's nodes that are not its modules (every importer is one)."""
    return [node for node in graph.nodes if node not in graph.modules]


def instruction(f: Fields) -> str:
    indirect = " (not even indirectly)" if f.get("transitive") else ""
    text = f"Do not import {or_list(f.get('to'))} from {or_list(f.get('from'))}{indirect}"
    if f.get("as_packages") is False:
        text += " (the modules themselves, not their submodules)"
    if f.get("allow_type_checking"):
        text += " (imports under `if TYPE_CHECKING:` are allowed)"
    return text + exceptions(f)


def modules(f: Fields) -> Iterator[ModuleName]:
    named = [
        *each("from", f.get("from", ()), first_party=True),
        *each("to", f.get("to", ()), first_party=False),
    ]
    yield from required(iter(named), f)


def fix(constraint: Any, found: Finding) -> Rewrite:
    """Every forbidden module imported in the file becomes the ``replacement`` module."""
    return Rewrite(modules={target: constraint.replacement for target in constraint.to})


def check_fields(record: Any) -> None:
    """What the fields must hold together (run with and without pydantic)."""
    from charter.hooks.constraint.checks import check_dotted

    if record.replacement is not None:
        check_dotted(record.replacement)
        wild = [name for name in record.to if "*" in name]
        if wild:
            raise ValueError(
                f"'replacement' rewrites imports of the 'to' modules, which must then be "
                f"plain module names, not patterns such as {wild[0]!r}"
            )


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from pydantic import Field

    from charter.hooks.constraint.fields import ImportRule, Modules, checked_by

    class ForbidImport(ImportRule):
        kind: Literal["forbid-import"]
        from_: Modules = Field(alias="from", min_length=1)
        to: Modules = Field(min_length=1)
        transitive: bool = Field(default=False, description="Also forbid indirect import chains.")
        allow_type_checking: bool = Field(
            default=False, description="Allow imports under 'if TYPE_CHECKING:'."
        )
        as_packages: bool = Field(
            default=True,
            description="A name covers its submodules; false: only the named modules themselves.",
        )
        replacement: str | None = Field(
            default=None,
            description="Module to import instead of the 'to' modules (enables autofix).",
        )

        _checks = checked_by(check_fields)

    return ForbidImport


def example(f: Fields) -> Example:
    source, target = module_like(first(f.get("from"))), module_like(first(f.get("to")))
    fix = (
        f"Import `{f['replacement']}` instead"
        if f.get("replacement")
        else f"Reach what you need from `{target}` through a module `{source}` may import"
    )
    return f"`import {target}` in a module of `{source}`", fix


def _names(value: object) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value or ()]  # type: ignore[attr-defined]


KIND = Kind(
    name="forbid-import",
    rank=10,
    sample={"from": "app.api", "to": ["app.db"], "replacement": "app.repo"},
    summary=(
        "Modules matching `from` must not import modules matching `to` (first-party or "
        "third-party). With `transitive: true` indirect chains are forbidden too, and "
        "the chain is reported."
    ),
    example=example,
    model=model,
    reads=Reads.IMPORT_GRAPH,
    check=graph_check(judge),
    strictness={
        "from_": Strictness.KEEPS,
        "to": Strictness.KEEPS,
        **CHAINS,
        "as_packages": Strictness.STAYS_TRUE,
        **STRICTNESS,
    },
    instruction=instruction,
    vocabulary=lambda f: IMPORTS + " " + about(_names(f.get("to"))),
    modules=modules,
    fix=fix,
)
