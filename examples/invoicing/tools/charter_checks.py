"""Team-specific checks for Charter's `python` constraint kind (ADR-0010)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from charter.hooks.kinds.plugin import PluginContext, Violation


def no_float_amounts(ctx: PluginContext) -> Iterator[Violation]:
    """Fields named in options['fields'] must not be annotated as float."""
    fields = set(ctx.options.get("fields", ["amount"]))
    for path in ctx.files:
        if not path.endswith(".py"):
            continue
        text = ctx.text(path)
        if text is None:
            continue
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue  # Charter reports syntax errors itself
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and node.target.id in fields
                and isinstance(node.annotation, ast.Name)
                and node.annotation.id == "float"
            ):
                message = f"{node.target.id} is a float"
                yield Violation(path, node.lineno, message, node.col_offset + 1, node.target.id)
