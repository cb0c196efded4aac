"""Who may import a module: protected-modules and private-modules.

``protected-modules`` is import-linter's ``protected`` contract: only the
``allowed_importers`` (and the protected package itself) may import the protected
modules directly. ``private-modules`` is its ``private_modules`` contract: a module
whose last name starts with ``_`` (``app.foo._secret``, not ``__main__``) may be
imported only from within its parent package (``app.foo`` and below); a module inside
a private package is private to that package's parent too. Both are direct rules:
an indirect chain is no violation, as in import-linter.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from charter.hooks.context import finding
from charter.hooks.kinds.imports import _matcher, ignoring, members

if TYPE_CHECKING:
    from charter.hooks.context import Context
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.findings import Finding


def protected_modules(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint = active.constraint
    graph, alerts = ignoring(active, context)
    yield from alerts
    modules = sorted(context.index.modules)
    as_packages = constraint.as_packages
    allowed = _matcher(members(constraint.allowed_importers, modules), as_packages)
    protected = members(constraint.modules, modules)
    in_scope = set(context.in_scope(active))
    for top in protected:
        inside = _matcher([top], as_packages)
        for module, path in sorted(context.index.modules.items()):
            if path not in in_scope or allowed(module) or inside(module):
                continue
            for edge in graph.out_edges(module):
                if inside(edge.imported):
                    message = (
                        f"{module} imports {edge.imported}, which only "
                        f"{', '.join(constraint.allowed_importers) or 'its own package'} may import"
                    )
                    yield finding(active, path, edge.line, edge.col, message, edge.imported)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _private_parent(module: str) -> str | None:
    """The parent of the module's innermost private module (itself or an ancestor)."""
    parts = module.split(".")
    for index in range(len(parts) - 1, 0, -1):  # a top-level module is never private
        if _is_private(parts[index]):
            return ".".join(parts[:index])
    return None


def private_modules(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint = active.constraint
    graph, alerts = ignoring(active, context)
    yield from alerts
    packages = constraint.packages
    checked = _matcher(members(packages, sorted(graph.modules))) if packages else None
    in_scope = set(context.in_scope(active))
    for module, path in sorted(context.index.modules.items()):
        if path not in in_scope:
            continue
        for edge in graph.out_edges(module):
            imported = edge.imported
            if imported not in graph.modules or (checked is not None and not checked(imported)):
                continue
            parent = _private_parent(imported)
            if parent is None or module == parent or module.startswith(parent + "."):
                continue
            message = f"{module} imports {imported}, which is private to {parent}"
            yield finding(active, path, edge.line, edge.col, message, imported)
