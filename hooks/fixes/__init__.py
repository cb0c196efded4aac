"""Autofixes: LibCST codemods that turn a rejected change into a one-step repair.

``fix_source`` applies a :class:`Plan` (banned names to replace, forbidden modules to
rewrite) to one file's text and returns one of a closed set of results: ``Fixed``
(with the text before and after), ``Unchanged`` or ``Failed`` (with the reason).
Formatting and comments are preserved (LibCST keeps the concrete syntax); running a
fix twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(frozen=True)
class Plan:
    names: Mapping[str, str] = field(default_factory=dict)  # banned name -> replacement
    modules: Mapping[str, str] = field(default_factory=dict)  # forbidden module -> replacement

    def __bool__(self) -> bool:
        return bool(self.names or self.modules)


@dataclass(frozen=True)
class Fixed:
    path: str
    before: str
    after: str


@dataclass(frozen=True)
class Unchanged:
    path: str


@dataclass(frozen=True)
class Failed:
    path: str
    reason: str


Result = Union[Fixed, Unchanged, Failed]  # noqa: UP007 - the closed set, spelled out


def fix_source(
    path: str, text: str, module: str, plan: Plan, lines: Iterable[int] | None = None
) -> Result:
    """Apply ``plan`` to the text of ``path`` (whose module name is ``module``).

    With ``lines`` (where the findings are), a banned-name fix shows LibCST only the
    imports and the top-level statements holding them (``reduce.py``); the whole file
    when that fails, or for a module rewrite (which renames uses all over the file).
    """
    if lines is not None and not plan.modules:
        from charter.hooks.fixes.reduce import reduce

        reduced = reduce(text, lines, plan.names)
        if reduced is not None:
            result = _fix(path, reduced.text, module, plan)
            after = reduced.restore(result.after) if isinstance(result, Fixed) else None
            if isinstance(result, Unchanged):
                return Unchanged(path)
            if after is not None:
                return Unchanged(path) if after == text else Fixed(path, text, after)
    return _fix(path, text, module, plan)


def _fix(path: str, text: str, module: str, plan: Plan) -> Result:
    import libcst as cst
    from libcst.codemod import CodemodContext

    from charter.hooks.fixes.banned_api import ReplaceBannedNames
    from charter.hooks.fixes.imports import RewriteImports

    try:
        tree = original = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return Failed(path, f"cannot parse: {exc.message} (line {exc.raw_line})")
    is_package = path.endswith("__init__.py")
    if plan.modules:
        context = CodemodContext(filename=path, full_module_name=module)
        tree = RewriteImports(context, plan.modules, module, is_package).transform_module(tree)
    if plan.names:
        context = CodemodContext(filename=path, full_module_name=module)
        tree = ReplaceBannedNames(context, plan.names).transform_module(tree)
    after = _keep_docstring_gap(original, tree).code
    return Unchanged(path) if after == text else Fixed(path, text, after)


def _keep_docstring_gap(original: Any, tree: Any) -> Any:
    """Keep the blank lines after a module docstring when the import below it changed.

    LibCST's import visitors drop a removed import with its leading blank lines and add
    the new one without them; the gap between the docstring and the code is the user's.
    """
    import libcst as cst

    before, after = original.body, tree.body
    if len(before) < 2 or len(after) < 2 or not isinstance(before[0], cst.SimpleStatementLine):
        return tree
    docstring = bool(before[0].body) and isinstance(before[0].body[0], cst.Expr)
    if (
        docstring
        and after[0].deep_equals(before[0])
        and before[1].leading_lines
        and not after[1].leading_lines
    ):
        fixed = after[1].with_changes(leading_lines=before[1].leading_lines)
        return tree.with_changes(body=[after[0], fixed, *after[2:]])
    return tree
