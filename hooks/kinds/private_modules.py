"""private-modules: ``a.b._c`` may be imported only from within ``a.b``.

import-linter's ``private_modules`` contract: a module whose last name starts with ``_``
(not a dunder such as ``__main__``) is private to its parent package, and so is
everything inside it; a top-level module is never private. ``packages`` limits the
check to the private modules inside them. A direct rule: a chain is no violation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Literal

from charter.hooks.kinds.examples import Example, first
from charter.hooks.kinds.import_rules import (
    STRICTNESS,
    exceptions,
    graph_check,
    matcher,
    members,
    required,
    scoped_modules,
)
from charter.hooks.kinds.kind import Fields, Kind, Reads, Strictness, each, finding, or_list

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.source.graph import ImportGraph
    from charter.hooks.view import SnapshotView


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _private_parent(module: str) -> str | None:
    """The parent of the module's innermost private module (itself or an ancestor)."""
    parts = module.split(".")
    for index in range(len(parts) - 1, 0, -1):
        if _is_private(parts[index]):
            return ".".join(parts[:index])
    return None


def judge(
    active: ActiveConstraint, view: SnapshotView, graph: ImportGraph, paths: Sequence[str]
) -> Iterator[Finding]:
    constraint = active.constraint
    packages = constraint.packages
    checked = matcher(members(packages, sorted(graph.modules))) if packages else None
    for module, path in scoped_modules(view, set(paths)):
        for edge in graph.out_edges(module):
            imported = edge.imported
            if imported not in graph.modules or (checked is not None and not checked(imported)):
                continue
            parent = _private_parent(imported)
            if parent is None or module == parent or module.startswith(parent + "."):
                continue
            message = f"{module} imports {imported}, which is private to {parent}"
            yield finding(active, path, edge.line, edge.col, message, imported)


def instruction(f: Fields) -> str:
    within = f" in {or_list(f['packages'])}" if f.get("packages") else ""
    return (
        f"Import a private module (a name starting with '_'){within} only from within "
        "its parent package" + exceptions(f)
    )


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from pydantic import Field

    from charter.hooks.constraint.fields import ImportRule, Modules

    class PrivateModules(ImportRule):
        """import-linter's ``private_modules``: ``a._b`` only from within ``a``."""

        kind: Literal["private-modules"]
        packages: Modules = Field(
            default=(), description="Packages whose private modules are checked; default: all."
        )

    return PrivateModules


def example(f: Fields) -> Example:
    package = first(f.get("packages")) if f.get("packages") else "app"
    return (
        f"`import {package}.a._impl` in `{package}.b` (outside `{package}.a`)",
        f"Import what `{package}.a` makes public instead, or move the code into `{package}.a`",
    )


KIND = Kind(
    name="private-modules",
    rank=60,
    sample={"packages": ["app"], "ignore_imports": ["app.a -> app.b._c"]},
    summary=(
        "A private module (`a.b._c`: its name starts with `_`) may be imported only from "
        "within its parent package `a.b`; `packages` limits the check to them."
    ),
    example=example,
    model=model,
    reads=Reads.IMPORT_GRAPH,
    check=graph_check(judge),
    strictness={"packages": Strictness.SAME, **STRICTNESS},
    instruction=instruction,
    modules=lambda f: required(each("packages", f.get("packages", ()), first_party=True), f),
)
