"""python: a team's own check, a callable given by dotted path.

``check: package.module:function`` is imported with the source roots and the
repository root on ``sys.path``. It receives a ``PluginContext`` and yields
``Violation`` records (or tuples ``(path, line, message)``)::

    from charter.hooks.kinds.plugin import PluginContext, Violation

    def no_float_amounts(ctx: PluginContext) -> Iterator[Violation]:
        for path in ctx.files:
            ...
            yield Violation(path, line, "amount is a float")

An error while importing or running the check is a configuration error naming the
decision, not a crash; the call is bounded and isolated (``plugincall``): a time limit,
its output captured, ``sys.exit()`` and malformed results turned into that error.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from charter.hooks import plugincall
from charter.hooks.context import finding
from charter.hooks.errors import CharterError
from charter.hooks.source.facts import FileFacts

if TYPE_CHECKING:
    from charter.hooks.context import Context
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import Python
    from charter.hooks.findings import Finding


class Violation(NamedTuple):
    path: str
    line: int
    message: str
    col: int = 0
    key: str | None = None  # identity for the fingerprint; default: the message


@dataclass(frozen=True)
class PluginContext:
    """What a plugin check sees: the files in scope, their text and facts, its options."""

    files: tuple[str, ...]
    options: Mapping[str, Any]
    _context: Context

    def text(self, path: str) -> str | None:
        return self._context.text(path)

    def facts(self, path: str) -> FileFacts:
        return self._context.facts(path)


def _load(spec: str, context: Context) -> Any:
    module_name, _, function = spec.partition(":")
    if not function:
        module_name, _, function = spec.rpartition(".")
    root = context.settings.root
    extra = [str(root / source) for source in context.settings.source_roots] + [str(root)]
    added = [path for path in extra if path not in sys.path]
    sys.path[:0] = added
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise CharterError(f"cannot import {module_name!r}: {exc}") from exc
    finally:
        for path in added:
            sys.path.remove(path)
    try:
        return getattr(module, function)
    except AttributeError:
        raise CharterError(f"{module_name!r} has no function {function!r}") from None


def check(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: Python = active.constraint
    where = f"{active.source}: {active.id} (python check {constraint.check!r})"
    try:
        function = _load(constraint.check, context)
        plugin_context = PluginContext(
            tuple(context.in_scope(active)), dict(constraint.options), context
        )
        violations = plugincall.call(function, plugin_context)
    except (CharterError, plugincall.PluginError) as exc:
        raise CharterError(f"{where}: {exc}") from None
    for v in violations:
        yield finding(active, v.path, v.line, v.col, v.message, v.key or v.message)
