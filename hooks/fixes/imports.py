"""forbid-import autofix: import the decision's ``replacement`` module instead.

With ``to: [mock]`` and ``replacement: unittest.mock``:

- ``import mock`` -> ``import unittest.mock`` and ``mock.patch`` -> ``unittest.mock.patch``
  (an aliased ``import mock as m`` keeps its alias and its uses);
- ``from mock import patch`` -> ``from unittest.mock import patch`` (submodules follow:
  ``from mock.sub import x`` -> ``from unittest.mock.sub import x``);
- ``from app import db`` (the module as a name) -> ``from app import repositories as db``,
  so the code using ``db`` keeps working;
- relative imports are resolved against the file's module first and written absolute.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, QualifiedNameProvider

from charter.hooks.fixes.edits import absolute, add_import, expression


def rewrite_imports(tree: cst.Module, modules: Mapping[str, str], package: str) -> cst.Module:
    """``tree`` importing each replacement module instead of its forbidden one."""
    rewrite = RewriteImports(modules, package)
    tree = MetadataWrapper(tree, unsafe_skip_copy=True).visit(rewrite)
    assert isinstance(tree, cst.Module)
    for module, name, asname in rewrite.needed:
        tree = add_import(tree, module, name, asname, package)
    return tree


class RewriteImports(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (QualifiedNameProvider,)

    def __init__(self, modules: Mapping[str, str], package: str) -> None:
        super().__init__()
        self.modules = dict(modules)
        self.package = package
        self.renamed: dict[str, str] = {}  # un-aliased `import x.y`: uses of x.y to rewrite
        self.needed: list[tuple[str, str, str | None]] = []  # (module, name, asname)
        self.in_import = False

    def visit_Import(self, node: cst.Import) -> None:
        self.in_import = True

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.in_import = True

    def _map(self, dotted: str) -> str | None:
        for old, new in self.modules.items():
            if dotted == old or dotted.startswith(f"{old}."):
                return new + dotted[len(old) :]
        return None

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        self.in_import = False
        aliases = []
        for alias in updated_node.names:
            dotted = get_full_name_for_node(alias.name) or ""
            new = self._map(dotted)
            if new is not None:
                if alias.asname is None:
                    self.renamed[dotted] = new
                alias = alias.with_changes(name=expression(new))
            aliases.append(alias)
        return updated_node.with_changes(names=aliases)

    def leave_ImportFrom(
        self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
    ) -> cst.ImportFrom | cst.RemovalSentinel:
        self.in_import = False
        module = absolute(updated_node, self.package)
        if module is None:
            return updated_node
        new = self._map(module)
        if new is not None:
            return updated_node.with_changes(module=expression(new), relative=())
        if isinstance(updated_node.names, cst.ImportStar):
            return updated_node
        kept: list[cst.ImportAlias] = []
        changed = False
        for alias in updated_node.names:
            name = get_full_name_for_node(alias.name) or ""
            target = self._map(f"{module}.{name}")
            if target is None:
                kept.append(alias)
                continue
            changed = True
            parent, _, last = target.rpartition(".")
            bound = alias.evaluated_alias or name
            if parent == module:
                asname = None if last == bound else cst.AsName(name=cst.Name(bound))
                kept.append(alias.with_changes(name=cst.Name(last), asname=asname))
            else:
                self.needed.append((parent, last, None if last == bound else bound))
        if not changed:
            return updated_node
        if not kept:
            return cst.RemoveFromParent()
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(
            module=expression(module), relative=(), names=kept, lpar=None, rpar=None
        )

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        return self._use(original_node, updated_node)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        return self._use(original_node, updated_node)

    def _use(self, original: cst.CSTNode, updated: cst.BaseExpression) -> cst.BaseExpression:
        """A use of an un-aliased rewritten import, as written (``mock``, ``app.db``)."""
        if self.in_import or not self.renamed:
            return updated
        dotted = get_full_name_for_node(original)
        if dotted not in self.renamed:
            return updated
        names = {q.name for q in self.get_metadata(QualifiedNameProvider, original, set())}
        return expression(self.renamed[dotted]) if dotted in names else updated
