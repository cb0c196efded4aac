"""Autofixes: LibCST transforms that turn a rejected change into a one-step repair.

``fix_source`` applies a :class:`Plan` (banned names to replace, forbidden modules to
rewrite) to one file's text and returns one of a closed set of results: ``Fixed``
(with the text before and after), ``Unchanged`` or ``Failed`` (with the reason).
Formatting and comments are preserved (LibCST keeps the concrete syntax); running a
fix twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Union


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

    from charter.hooks.fixes.banned_api import replace_banned_names
    from charter.hooks.fixes.imports import rewrite_imports

    try:
        tree = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return Failed(path, f"cannot parse: {exc.message} (line {exc.raw_line})")
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    if plan.modules:
        tree = rewrite_imports(tree, plan.modules, package)
    if plan.names:
        tree = replace_banned_names(tree, plan.names, package)
    after = tree.code
    return Unchanged(path) if after == text else Fixed(path, text, after)
