"""python: a team's own check, a callable given by dotted path (this is its kind module).

``check: package.module:function`` is imported from the snapshot whose rules are judged
(``source/importer.py``: the index under ``--staged``, each commit under a range), as if
the source roots, the package folders and the repository root were on ``sys.path``;
installed packages import as usual. It receives a ``PluginContext`` and yields
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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from charter.hooks import plugincall
from charter.hooks.errors import CharterError
from charter.hooks.kinds.examples import Example
from charter.hooks.kinds.kind import Fields, Kind, ModuleName, Reads, Strictness, finding
from charter.hooks.source.facts import FileFacts

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.view import SnapshotView


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
    _view: SnapshotView

    def text(self, path: str) -> str | None:
        return self._view.text(path)

    def facts(self, path: str) -> FileFacts:
        return self._view.facts(path)


def module_of(spec: str) -> str:
    """The check's module: ``package.module:function`` or ``package.module.function``."""
    return _split(spec)[0]


def _split(spec: str) -> tuple[str, str]:
    module_name, _, function = spec.partition(":")
    if not function:
        module_name, _, function = spec.rpartition(".")
    return module_name, function


def _load(spec: str, label: str) -> Any:
    module_name, function = _split(spec)
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        hint = f" (Charter reads the check's code from the {label}: is the module in it?)"
        raise CharterError(f"cannot import {module_name!r}: {exc}{hint}") from exc
    try:
        return getattr(module, function)
    except AttributeError:
        raise CharterError(f"{module_name!r} has no function {function!r}") from None


def check(active: ActiveConstraint, view: SnapshotView, paths: Sequence[str]) -> Iterator[Finding]:
    from charter.hooks.source.importer import served

    constraint = active.constraint
    where = f"{active.source}: {active.id} (python check {constraint.check!r})"
    settings = view.settings
    # The rules' snapshot, also when a base commit is judged by them.
    code = settings.source or view.snapshot
    try:
        with served(code, settings.source_roots, settings.packages):
            function = _load(constraint.check, code.label)
            plugin_context = PluginContext(tuple(paths), dict(constraint.options), view)
            violations = plugincall.call(function, plugin_context)
    except (CharterError, plugincall.PluginError) as exc:
        raise CharterError(f"{where}: {exc}") from None
    for v in violations:
        yield finding(active, v.path, v.line, v.col, v.message, v.key or v.message)


def modules(f: Fields) -> Iterator[ModuleName]:
    """The check's module: ``package.module:function`` or ``package.module.function``."""
    spec = str(f.get("check", ""))
    yield ModuleName("check", None, module_of(spec) or spec, first_party=False, plugin=True)


def check_fields(record: Any) -> None:
    """What the fields must hold together (run with and without pydantic)."""
    from charter.hooks.constraint.checks import CALLABLE_PATH

    if not CALLABLE_PATH.match(record.check):
        raise ValueError(
            f"check {record.check!r} is not a callable path: write 'package.module:function'"
        )


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from pydantic import Field

    from charter.hooks.constraint.fields import ConstraintBase, checked_by

    class Python(ConstraintBase):
        kind: Literal["python"]
        check: str = Field(description="The check callable: 'package.module:function'.")
        options: dict[str, Any] = Field(default_factory=dict, description="Passed to the check.")

        _checks = checked_by(check_fields)

    return Python


def example(f: Fields) -> Example:
    return f"what the team check `{f.get('check')}` reports", "Follow the check's message"


KIND = Kind(
    name="python",
    rank=150,
    sample={"check": "app.checks:money", "options": {"limit": 3}},
    summary=(
        "A team-specific check: a callable given by its dotted path, which receives a "
        "typed context and yields violations."
    ),
    example=example,
    model=model,
    reads=Reads.ANYTHING,
    check=check,
    strictness={"check": Strictness.SAME, "options": Strictness.SAME},
    instruction=lambda f: f"Satisfy the team check {f.get('check')}",
    vocabulary=lambda f: "team check",
    modules=modules,
)
