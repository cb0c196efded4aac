"""banned-api autofix: replace each use of a banned name with its ``replacement``.

``dt.datetime.now()`` (with ``import datetime as dt``) and ``datetime.now()`` (with
``from datetime import datetime``) resolve, through LibCST's qualified names, to
``datetime.datetime.now``; with ``replacement: app.clock.now`` both become ``now()``
and ``from app.clock import now`` is added. Imports the rewrite left unused (every use
LibCST's scope analysis found for them was rewritten, and no string names them, as
``__all__`` would) are removed; imports still used elsewhere stay.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import (
    ImportAssignment,
    MetadataWrapper,
    QualifiedNameProvider,
    ScopeProvider,
)

from charter.hooks.fixes.edits import add_import, drop_aliases


def replace_banned_names(
    tree: cst.Module, replacements: Mapping[str, str], package: str
) -> cst.Module:
    """``tree`` with the uses of each banned name replaced, and its imports tidied.

    ``package`` (the module's own package) resolves its relative imports.
    """
    replace = ReplaceBannedNames(replacements)
    tree = MetadataWrapper(tree, unsafe_skip_copy=True).visit(replace)
    assert isinstance(tree, cst.Module)
    for module, name in replace.needed:
        tree = add_import(tree, module, name, package=package)
    return drop_aliases(tree, replace.unused)


class ReplaceBannedNames(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (QualifiedNameProvider, ScopeProvider)

    def __init__(self, replacements: Mapping[str, str]) -> None:
        super().__init__()
        self.replacements = dict(replacements)
        self.needed: list[tuple[str, str]] = []  # (module, name) to import
        self.unused: set[cst.ImportAlias] = set()
        self._imports: list[tuple[cst.Import | cst.ImportFrom, cst.ImportAlias]] = []
        self._replaced: list[cst.CSTNode] = []
        self._strings: set[str] = set()

    # Import statements are not uses to rewrite; remember the ones that could be unused.
    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            if self._related(get_full_name_for_node(alias.name) or ""):
                self._imports.append((node, alias))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return False
        module = get_full_name_for_node(node.module) or ""
        for alias in node.names:
            if self._related(f"{module}.{get_full_name_for_node(alias.name) or ''}"):
                self._imports.append((node, alias))
        return False

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = node.evaluated_value
        if isinstance(value, str):
            self._strings.add(value)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        return self._swap(original_node, updated_node)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self._swap(original_node, updated_node)

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        if self._replaced:
            gone = _within(self._replaced)
            for node, alias in self._imports:
                if self._unused(node, alias, gone):
                    self.unused.add(alias)
        return updated_node

    def _swap(self, original: cst.CSTNode, updated: cst.BaseExpression) -> cst.BaseExpression:
        names = self.get_metadata(QualifiedNameProvider, original, set())
        banned = next((q.name for q in names if q.name in self.replacements), None)
        if banned is None:
            return updated
        module, _, name = self.replacements[banned].rpartition(".")
        if module and (module, name) not in self.needed:
            self.needed.append((module, name))
        self._replaced.append(original)
        return cst.Name(name)

    def _unused(
        self, node: cst.Import | cst.ImportFrom, alias: cst.ImportAlias, gone: set[cst.CSTNode]
    ) -> bool:
        """Every use of what ``alias`` binds was replaced (``import a.b`` binds two)."""
        bound = alias.asname.name if alias.asname is not None else alias.name
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None:
            return False
        mine = [
            assignment
            for assignment in scope.assignments
            if isinstance(assignment, ImportAssignment)
            and assignment.node is node
            and assignment.as_name is bound
        ]
        if not mine or any(a.name in self._strings for a in mine):
            return False
        return all(access.node in gone for a in mine for access in a.references)

    def _related(self, name: str) -> bool:
        return any(banned == name or banned.startswith(f"{name}.") for banned in self.replacements)


def _within(nodes: list[cst.CSTNode]) -> set[cst.CSTNode]:
    """The nodes and everything under them."""
    seen: set[cst.CSTNode] = set()

    class Collect(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            seen.add(node)
            return True

    for node in nodes:
        node.visit(Collect())
    return seen
