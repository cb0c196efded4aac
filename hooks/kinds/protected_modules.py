"""protected-modules: only the ``allowed_importers`` may import the ``modules``.

import-linter's ``protected`` contract (Charter's own ``protected`` kind is about files a
commit must not touch). The protected package may import itself; with ``as_packages``
false, a name covers only that module. A direct rule: a chain is no violation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Literal

from charter.hooks.kinds.examples import Example, first, module_like
from charter.hooks.kinds.import_rules import (
    STRICTNESS,
    exceptions,
    graph_check,
    matcher,
    members,
    required,
    scoped_modules,
)
from charter.hooks.kinds.kind import Fields, Kind, Reads, Strictness, each, finding, join, or_list

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
    as_packages = constraint.as_packages
    allowed = matcher(members(constraint.allowed_importers, modules), as_packages)
    who = ", ".join(constraint.allowed_importers) or "its own package"
    in_scope = set(paths)
    for top in members(constraint.modules, modules):
        inside = matcher([top], as_packages)
        for module, path in scoped_modules(view, in_scope):
            if allowed(module) or inside(module):
                continue
            for edge in graph.out_edges(module):
                if inside(edge.imported):
                    message = f"{module} imports {edge.imported}, which only {who} may import"
                    yield finding(active, path, edge.line, edge.col, message, edge.imported)


def instruction(f: Fields) -> str:
    who = join(f.get("allowed_importers"), "and") or "their own package"
    return f"Import {or_list(f.get('modules'))} only from {who}" + exceptions(f)


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from pydantic import Field

    from charter.hooks.constraint.fields import ImportRule, Modules

    class ProtectedModules(ImportRule):
        """import-linter's ``protected`` contract: only some modules may import these."""

        kind: Literal["protected-modules"]
        modules: Modules = Field(min_length=1, description="The modules only a few may import.")
        allowed_importers: Modules = Field(
            default=(), description="The modules that may import them directly."
        )
        as_packages: bool = Field(
            default=True, description="A name covers its submodules; false: only the module itself."
        )

    return ProtectedModules


def example(f: Fields) -> Example:
    target = module_like(first(f.get("modules")))
    allowed = f.get("allowed_importers") or ()
    outsider = f"{target}_client"  # a sibling: outside the protected package
    fix = (
        f"Reach `{target}` through {join([f'`{a}`' for a in allowed], 'or')}, which may import it"
        if allowed
        else f"Move the code that needs `{target}` into `{target}`"
    )
    return f"`import {target}` in `{outsider}` (not an allowed importer)", fix


KIND = Kind(
    name="protected-modules",
    rank=50,
    sample={"modules": ["app.db"], "allowed_importers": ["app.repositories"]},
    summary=(
        "Only the `allowed_importers` (and the protected package itself) may import the "
        "`modules`; import-linter's `protected` contract."
    ),
    example=example,
    model=model,
    reads=Reads.IMPORT_GRAPH,
    check=graph_check(judge),
    strictness={
        "modules": Strictness.KEEPS,
        "allowed_importers": Strictness.NO_NEW,
        "as_packages": Strictness.STAYS_TRUE,
        **STRICTNESS,
    },
    instruction=instruction,
    modules=lambda f: required(
        iter(
            [
                *each("modules", f.get("modules", ()), first_party=False),
                *each("allowed_importers", f.get("allowed_importers", ()), first_party=False),
            ]
        ),
        f,
    ),
)
