"""The import edits both fixes make on a LibCST module: add one, drop the unused.

These were LibCST's ``AddImportsVisitor`` and ``RemoveImportsVisitor``. Importing
``libcst.codemod`` imports ``libcst.matchers`` (~0.2 s), and each matcher-aware visitor
scans its own methods when it is built (~40 ms, seven of them per fix): most of a
one-line fix's time. Here they are two functions on the tree, with the same placement:

- ``add_import`` adds ``from module import name`` to the imports at the head of the
  module (after its docstring): into an existing ``from module import ...`` there, name
  first, else as a new line after the last of them;
- ``drop_aliases`` removes the import aliases it is given; a statement left with none
  goes, and its leading comments and blank lines move to the statement after it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node


def expression(name: str) -> cst.Attribute | cst.Name:
    """The expression ``a.b.c`` for the dotted name ``name``."""
    first, *rest = name.split(".")
    node: cst.Attribute | cst.Name = cst.Name(first)
    for part in rest:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def absolute(node: cst.ImportFrom, package: str) -> str | None:
    """The module ``node`` imports from, relative imports resolved against ``package``."""
    module = get_full_name_for_node(node.module) if node.module is not None else ""
    if not node.relative:
        return module or None
    parts = package.split(".") if package else []
    up = len(node.relative) - 1
    if up > len(parts):
        return None
    base = parts[: len(parts) - up]
    return ".".join([*base, *([module] if module else [])]) or None


def add_import(
    tree: cst.Module, module: str, name: str, asname: str | None = None, package: str = ""
) -> cst.Module:
    """``tree`` with ``from module import name [as asname]``, unless its head has it."""
    body = list(tree.body)
    start = 1 if body and _is_docstring(body[0]) else 0
    end = start
    while end < len(body) and _import_of(body[end]) is not None:
        end += 1
    merge: int | None = None
    for index in range(start, end):
        node = _import_of(body[index])
        if not isinstance(node, cst.ImportFrom) or absolute(node, package) != module:
            continue
        if isinstance(node.names, cst.ImportStar):
            return tree
        if any(
            (alias.evaluated_name, alias.evaluated_alias) == (name, asname) for alias in node.names
        ):
            return tree
        merge = index if merge is None else merge
    alias = cst.ImportAlias(
        name=cst.Name(name), asname=cst.AsName(name=cst.Name(asname)) if asname else None
    )
    if merge is not None:
        line = body[merge]
        assert isinstance(line, cst.SimpleStatementLine)
        node = _import_of(line)
        assert isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar)
        body[merge] = line.with_changes(body=[node.with_changes(names=[alias, *node.names])])
        return tree.with_changes(body=body)
    new = cst.SimpleStatementLine(body=[cst.ImportFrom(module=expression(module), names=[alias])])
    after = body[end:]
    if after:
        lines = after[0].leading_lines
        if not lines or lines[0].comment is not None:
            after[0] = after[0].with_changes(leading_lines=[cst.EmptyLine(), *lines])
    return tree.with_changes(body=[*body[:end], new, *after])


def drop_aliases(tree: cst.Module, unused: Collection[cst.ImportAlias]) -> cst.Module:
    """``tree`` without the import aliases in ``unused`` (these very nodes)."""
    if not unused:
        return tree
    return tree.visit(_Drop(unused))


class _Drop(cst.CSTTransformer):
    def __init__(self, unused: Collection[cst.ImportAlias]) -> None:
        super().__init__()
        self.unused = unused

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> bool:
        return False  # keeps the line, and the aliases in it, the very same nodes

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> bool:
        return False

    def leave_SimpleStatementSuite(
        self, original_node: cst.SimpleStatementSuite, updated_node: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        left = self._remaining(updated_node.body)
        if left is None:
            return updated_node
        return updated_node.with_changes(body=left or [cst.Pass()])

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body, footer = self._trim(updated_node.body, updated_node.footer)
        return updated_node.with_changes(body=body, footer=footer)

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body, footer = self._trim(updated_node.body, updated_node.footer)
        if not body:
            body = [cst.SimpleStatementLine(body=[cst.Pass()])]
        return updated_node.with_changes(body=body, footer=footer)

    def _trim(
        self, body: Sequence[cst.BaseStatement], footer: Sequence[cst.EmptyLine]
    ) -> tuple[list[cst.BaseStatement], list[cst.EmptyLine]]:
        kept: list[cst.BaseStatement] = []
        carried: list[cst.EmptyLine] = []
        for statement in body:
            if isinstance(statement, cst.SimpleStatementLine):
                left = self._remaining(statement.body)
                if left == []:
                    carried.extend(statement.leading_lines)
                    continue
                if left is not None:
                    statement = statement.with_changes(body=left)
            if carried and isinstance(
                statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement)
            ):
                statement = statement.with_changes(
                    leading_lines=[*carried, *statement.leading_lines]
                )
                carried = []
            kept.append(statement)
        return kept, [*carried, *footer]

    def _remaining(
        self, body: Sequence[cst.BaseSmallStatement]
    ) -> list[cst.BaseSmallStatement] | None:
        """``body`` without the unused aliases ([]: nothing left; None: nothing to drop)."""
        small = [self._without(statement) for statement in body]
        if all(new is old for new, old in zip(small, body, strict=True)):
            return None
        left = [statement for statement in small if statement is not None]
        if left:
            left[-1] = left[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return left

    def _without(self, small: cst.BaseSmallStatement) -> cst.BaseSmallStatement | None:
        if not isinstance(small, (cst.Import, cst.ImportFrom)) or isinstance(
            small.names, cst.ImportStar
        ):
            return small
        names = [alias for alias in small.names if alias not in self.unused]
        if len(names) == len(small.names):
            return small
        if not names:
            return None
        if names[-1] is small.names[-1]:
            return small.with_changes(names=names)
        return _close(small, names)


def _close(
    small: cst.Import | cst.ImportFrom, names: list[cst.ImportAlias]
) -> cst.Import | cst.ImportFrom:
    """``small`` with ``names``, the last of which now ends the list.

    The new last name keeps its line and its comment; the list keeps its ending (a
    trailing comma, the closing parenthesis on its own line).
    """
    assert not isinstance(small.names, cst.ImportStar)
    last, removed = names[-1], small.names[-1]
    comma = last.comma if isinstance(last.comma, cst.Comma) else None
    own = comma.whitespace_after if comma is not None else None
    if comma is None or not isinstance(own, cst.ParenthesizedWhitespace):
        names[-1] = last.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return small.with_changes(names=names)
    line = {"first_line": own.first_line, "empty_lines": own.empty_lines}
    old = removed.comma.whitespace_after if isinstance(removed.comma, cst.Comma) else None
    if isinstance(old, cst.ParenthesizedWhitespace):  # trailing comma
        ending = old.with_changes(**line)
        names[-1] = last.with_changes(comma=comma.with_changes(whitespace_after=ending))
        return small.with_changes(names=names)
    names[-1] = last.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    rpar = getattr(small, "rpar", None)
    if rpar is not None and isinstance(rpar.whitespace_before, cst.ParenthesizedWhitespace):
        ending = rpar.whitespace_before.with_changes(**line)
        return small.with_changes(names=names, rpar=rpar.with_changes(whitespace_before=ending))
    return small.with_changes(names=names)


def _import_of(statement: cst.BaseStatement) -> cst.Import | cst.ImportFrom | None:
    """The import a one-import line holds (the only lines the head of a module has)."""
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        node = statement.body[0]
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            return node
    return None


def _is_docstring(statement: cst.BaseStatement) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    node = statement.body[0]
    return isinstance(node, cst.Expr) and isinstance(node.value, cst.SimpleString)
