"""Facts about one Python file, from the standard library's ``ast``.

- imports: every ``import`` and ``from ... import`` (also inside functions), relative
  imports resolved against the file's module, with line, column and whether it sits
  under ``if TYPE_CHECKING:``;
- uses: every name and attribute chain rooted in an imported name or a builtin,
  resolved through aliases (``import datetime as dt; dt.datetime.now`` is a use of
  ``datetime.datetime.now``, and of ``datetime.datetime`` and ``datetime``);
- a syntax error, if the file does not parse, or nests too deeply for Python's parser
  (the rest is then empty).

Facts depend only on the file's bytes and module name, so they are cached by content.
"""

from __future__ import annotations

import ast
import builtins
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

_BUILTINS = frozenset(dir(builtins))


class Import(NamedTuple):
    """One import statement's module, as ``ast`` reads it.

    A named tuple, not a frozen dataclass: a file's facts hold one per import (~4,300 on
    Django, ~50,000 on the generated repository), and a tuple is made ~2.5x faster.
    """

    module: str  # absolute module imported (for 'from m import n': m)
    names: tuple[str, ...]  # for 'from m import a, b': ('a', 'b'); else ()
    line: int
    col: int  # 1-based
    type_checking: bool


class Use(NamedTuple):
    """One use of a name, resolved through the file's imports and aliases (a named
    tuple, as ``Import``: a parsed file holds one per name it reads from an import or
    the builtins, thousands in a large module)."""

    name: str  # fully qualified, e.g. datetime.datetime.now
    line: int
    col: int  # 1-based


@dataclass(frozen=True)
class SyntaxProblem:
    """Why a file could not be parsed, and where."""

    line: int
    col: int
    message: str
    unreadable: bool = False  # the file could not be read as text at all (text.py)

    def to_data(self) -> list[object]:
        """The problem as the caches and a forked child's answer keep it (``marshal``)."""
        return [self.line, self.col, self.message, self.unreadable]

    @classmethod
    def from_data(cls, data: Sequence[Any]) -> SyntaxProblem:
        line, col, message, unreadable = data
        return cls(line, col, message, unreadable)


@dataclass(frozen=True)
class FileFacts:
    """What the kinds read from one Python file: its imports, its uses, its syntax error."""

    imports: tuple[Import, ...] = ()
    uses: tuple[Use, ...] = ()
    syntax_error: SyntaxProblem | None = None

    def to_data(self) -> list[object]:
        error = self.syntax_error
        return [
            [[i.module, list(i.names), i.line, i.col, i.type_checking] for i in self.imports],
            [[u.name, u.line, u.col] for u in self.uses],
            None if error is None else error.to_data(),
        ]

    @classmethod
    def from_data(cls, data: list[object]) -> FileFacts:
        imports, uses, error = data
        assert isinstance(imports, list) and isinstance(uses, list)
        return cls(
            tuple(Import(m, tuple(n), line, col, tc) for m, n, line, col, tc in imports),
            tuple(Use(name, line, col) for name, line, col in uses),
            None if error is None else SyntaxProblem.from_data(error),  # type: ignore[arg-type]
        )


def resolve_relative(module: str | None, level: int, package_of: str) -> str | None:
    """``from ..x import y`` in ``package_of`` -> the absolute module, or None."""
    if level == 0:
        return module
    parts = package_of.split(".") if package_of else []
    if level - 1 > len(parts) or (level - 1 == len(parts) and not module):
        return None
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base) or None


def syntax_problem(source: str | bytes) -> SyntaxProblem | None:
    """Only whether the file parses (what ``extract`` reports), without walking it: for
    a file no rule reads but whose syntax error must still be reported."""
    tree = _parse(source)
    return tree if isinstance(tree, SyntaxProblem) else None


def _parse(source: str | bytes) -> ast.Module | SyntaxProblem:
    try:
        return ast.parse(source)
    except SyntaxError as exc:
        return SyntaxProblem(exc.lineno or 1, exc.offset or 0, exc.msg or "invalid")
    except ValueError as exc:  # null bytes
        return SyntaxProblem(1, 0, str(exc))
    except (RecursionError, MemoryError) as exc:
        # Nesting too deep for CPython's parser (200k unary minuses, 100k 'a+a+...'):
        # Python cannot import such a file either; report it instead of crashing.
        what = "hit the recursion limit" if isinstance(exc, RecursionError) else "ran out of memory"
        return SyntaxProblem(1, 0, f"nested too deeply for Python's parser ({what})")


def extract(source: str | bytes, module: str = "", is_package: bool = False) -> FileFacts:
    """The facts of one file; ``module`` is its dotted name (for relative imports)."""
    tree = _parse(source)
    if isinstance(tree, SyntaxProblem):
        return FileFacts(syntax_error=tree)
    # One walk sorts out the nodes that matter, in the walk's order.
    statements: list[ast.Import | ast.ImportFrom] = []
    loads: list[ast.Attribute | ast.Name] = []
    guarded: set[int] = set()
    for node in walk(tree):
        kind = type(node)
        if kind is ast.Name or kind is ast.Attribute:
            loads.append(node)  # type: ignore[arg-type]
        elif kind is ast.Import or kind is ast.ImportFrom:
            statements.append(node)  # type: ignore[arg-type]
        elif kind is ast.If:
            guarded.update(id(inner) for inner in guarded_imports(node))  # type: ignore[arg-type]
    imports, aliases = _imports(statements, guarded, module, is_package)
    return FileFacts(imports, tuple(_uses(loads, aliases)))


def walk(tree: ast.AST) -> Iterator[ast.AST]:
    """The nodes ``ast.walk`` gives, in its order (breadth first), ~2x faster: its three
    generators a node (``iter_child_nodes``, ``iter_fields``) are one loop here. The walk
    was half of a per-file kind's parse after ``ast.parse`` (on Django's
    ``django/test/testcases.py``, 12.5 -> 6.5 ms)."""
    todo = deque([tree])
    popleft, append = todo.popleft, todo.append
    while todo:
        node = popleft()
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                append(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        append(item)
        yield node


def imports_of(source: str | bytes, module: str = "", is_package: bool = False) -> FileFacts:
    """``extract``'s imports and syntax error, without the uses: what the import table
    holds of a file no kind reads whole. Imports are statements, so only statements are
    visited: on Django's modules ~5x fewer nodes than ``ast.walk`` (every expression),
    where that walk and the uses were most of a small commit's parse."""
    tree = _parse(source)
    if isinstance(tree, SyntaxProblem):
        return FileFacts(syntax_error=tree)
    statements: list[ast.Import | ast.ImportFrom] = []
    guarded: set[int] = set()
    for node in _statements(tree):
        kind = type(node)
        if kind is ast.Import or kind is ast.ImportFrom:
            statements.append(node)  # type: ignore[arg-type]
        elif kind is ast.If:
            guarded.update(id(inner) for inner in guarded_imports(node))  # type: ignore[arg-type]
    return FileFacts(_imports(statements, guarded, module, is_package)[0])


# Where a statement holds statements: a block's body, an ``else``, a ``finally``, the
# handlers of a ``try`` and the cases of a ``match`` (each with a body of its own).
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def _statements(tree: ast.Module) -> Iterator[ast.AST]:
    """Every statement of the tree, nested ones too (and the ``except`` handlers and
    ``match`` cases that hold some); no expression holds a statement."""
    stack: list[ast.AST] = list(tree.body)
    while stack:
        node = stack.pop()
        yield node
        for field in _BLOCKS:
            block = getattr(node, field, None)
            if type(block) is list:
                stack.extend(block)


def _imports(
    statements: list[ast.Import | ast.ImportFrom], guarded: set[int], module: str, is_package: bool
) -> tuple[tuple[Import, ...], dict[str, str]]:
    """The import records of ``statements`` in source order, and the names they bind
    (alias -> what it names, for the uses)."""
    package_of = module if is_package else module.rpartition(".")[0]
    imports: list[Import] = []
    aliases: dict[str, str] = {}
    for node in statements:
        if isinstance(node, ast.Import):
            for alias in node.names:
                imports.append(
                    Import(alias.name, (), node.lineno, node.col_offset + 1, id(node) in guarded)
                )
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.partition(".")[0]
                    aliases[top] = top
        elif isinstance(node, ast.ImportFrom):
            target = resolve_relative(node.module, node.level, package_of)
            if target is None:
                continue
            names = tuple(alias.name for alias in node.names)
            imports.append(
                Import(target, names, node.lineno, node.col_offset + 1, id(node) in guarded)
            )
            for alias in node.names:
                if alias.name != "*":
                    aliases[alias.asname or alias.name] = f"{target}.{alias.name}"
    # In source order (walks differ in order): the first import of a module in the file
    # is the one a chain reports, whichever path (native.py) found the imports.
    imports.sort(key=lambda i: (i.line, i.col))
    return tuple(imports), aliases


def guarded_imports(node: ast.If) -> list[ast.Import | ast.ImportFrom]:
    """The import statements an ``if`` guards as type-checking only: those anywhere in
    its body (not its ``else``) when its test is ``TYPE_CHECKING`` or ``x.TYPE_CHECKING``.
    """
    test = node.test
    if not (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    ):
        return []
    return [
        inner
        for child in node.body
        for inner in walk(child)
        if isinstance(inner, (ast.Import, ast.ImportFrom))
    ]


def _uses(loads: list[ast.Attribute | ast.Name], aliases: dict[str, str]) -> list[Use]:
    uses: list[Use] = []
    for node in loads:
        if isinstance(node, ast.Attribute):
            dotted = _dotted(node)
            if dotted is None:
                continue
            root, _, rest = dotted.partition(".")
            target = aliases.get(root) or (f"builtins.{root}" if root in _BUILTINS else None)
            if target is not None:
                uses.append(Use(f"{target}.{rest}", node.lineno, node.col_offset + 1))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            target = aliases.get(node.id) or (
                f"builtins.{node.id}" if node.id in _BUILTINS else None
            )
            if target is not None:
                uses.append(Use(target, node.lineno, node.col_offset + 1))
    return uses


def _dotted(node: ast.Attribute) -> str | None:
    parts = [node.attr]
    value = node.value
    while isinstance(value, ast.Attribute):
        parts.append(value.attr)
        value = value.value
    if not isinstance(value, ast.Name):
        return None
    parts.append(value.id)
    return ".".join(reversed(parts))
