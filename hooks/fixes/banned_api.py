"""banned-api autofix: replace each use of a banned name with its ``replacement``.

``dt.datetime.now()`` (with ``import datetime as dt``) and ``datetime.now()`` (with
``from datetime import datetime``) resolve, through LibCST's qualified names, to
``datetime.datetime.now``; with ``replacement: app.clock.now`` both become ``now()``
and ``from app.clock import now`` is added. Imports the rewrite left unused are removed;
imports still used elsewhere stay.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst
from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.helpers import get_full_name_for_node
from libcst.metadata import QualifiedNameProvider


class ReplaceBannedNames(VisitorBasedCodemodCommand):
    DESCRIPTION = "Replace banned names with their replacement."
    METADATA_DEPENDENCIES = (QualifiedNameProvider,)

    def __init__(self, context: CodemodContext, replacements: Mapping[str, str]) -> None:
        super().__init__(context)
        self.replacements = dict(replacements)
        self.imports: list[tuple[str, str | None, str | None]] = []
        self.replaced = False

    # Import statements are not uses to rewrite; remember the ones that could be unused.
    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            name = get_full_name_for_node(alias.name) or ""
            asname = _asname(alias)
            if self._related(name):
                self.imports.append((name, None, asname))
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return False
        module = get_full_name_for_node(node.module) or ""
        for alias in node.names:
            name = get_full_name_for_node(alias.name) or ""
            if self._related(f"{module}.{name}"):
                self.imports.append((module, name, _asname(alias)))
        return False

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        return self._swap(original_node, updated_node)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self._swap(original_node, updated_node)

    def _swap(self, original: cst.CSTNode, updated: cst.BaseExpression) -> cst.BaseExpression:
        names = self.get_metadata(QualifiedNameProvider, original, set())
        banned = next((q.name for q in names if q.name in self.replacements), None)
        if banned is None:
            return updated
        module, _, name = self.replacements[banned].rpartition(".")
        if module:
            AddImportsVisitor.add_needed_import(self.context, module, name)
        self.replaced = True
        return cst.Name(name)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        result = super().transform_module_impl(tree)
        if self.replaced:
            for module, obj, asname in self.imports:
                RemoveImportsVisitor.remove_unused_import(self.context, module, obj, asname)
        return result

    def _related(self, name: str) -> bool:
        return any(banned == name or banned.startswith(f"{name}.") for banned in self.replacements)


def _asname(alias: cst.ImportAlias) -> str | None:
    if alias.asname is None or not isinstance(alias.asname.name, cst.Name):
        return None
    return alias.asname.name.value
