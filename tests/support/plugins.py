"""A team check for the ``python`` kind's tests (imported by dotted path, as users do)."""

from __future__ import annotations

from collections.abc import Iterator

from charter.hooks.kinds.plugin import PluginContext, Violation


def no_float_amounts(ctx: PluginContext) -> Iterator[Violation]:
    """Every ``amount: float`` annotation, in the files in scope."""
    word = str(ctx.options.get("word", "amount"))
    for path in ctx.files:
        text = ctx.text(path) or ""
        for number, line in enumerate(text.splitlines(), start=1):
            if f"{word}: float" in line:
                yield Violation(path, number, f"{word} is a float", key=word)


def broken(ctx: PluginContext) -> Iterator[Violation]:
    raise RuntimeError("the check itself is broken")
