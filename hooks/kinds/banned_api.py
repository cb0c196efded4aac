"""banned-api: uses of fully qualified names, aliases resolved.

A call, an attribute access or an import of a banned name (or of something inside
it) is a finding, keyed by the banned name. With a ``replacement``, ``charter fix``
rewrites the use.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from charter.hooks.kinds.examples import Example, first
from charter.hooks.kinds.kind import (
    Fields,
    Kind,
    Reads,
    Rewrite,
    Strictness,
    finding,
    or_list,
)
from charter.hooks.kinds.topics import about

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.view import SnapshotView


def needles(active: ActiveConstraint, first_party: frozenset[str]) -> list[frozenset[str]]:
    """For each banned name, words a file must contain to use it.

    Every way of reaching ``a.b.c`` writes ``c``; when ``a`` is a third-party or standard
    module it also writes ``a`` and ``b`` (``import a.b``, ``from a.b import c``, ``import
    a.b as x; x.c``): only relative imports skip them, and those reach first-party
    modules. Builtins need no import. A file without the words needs no parse.
    """
    found = []
    for name in active.constraint.names:
        parts = str(name).split(".")
        outside = parts[0] not in first_party and parts[0] != "builtins"
        found.append(frozenset(parts if outside else parts[-1:]))
    return found


def check(active: ActiveConstraint, view: SnapshotView, paths: Sequence[str]) -> Iterator[Finding]:
    constraint = active.constraint
    banned = frozenset(constraint.names)
    words = needles(active, view.index.top_level)
    instead = f"; use {constraint.replacement}" if constraint.replacement else ""
    for path in paths:
        if not view.may_use(path, words):
            continue  # its syntax, if broken, is reported by the engine all the same
        facts = view.facts(path)
        for imp in facts.imports:
            imported = [imp.module] if not imp.names else [f"{imp.module}.{n}" for n in imp.names]
            for name in imported:
                if name in banned:
                    message = f"imports banned {name}{instead}"
                    yield finding(active, path, imp.line, imp.col, message, name)
        for use in facts.uses:
            if use.name in banned:
                message = f"uses banned {use.name}{instead}"
                yield finding(active, path, use.line, use.col, message, use.name)


def instruction(f: Fields) -> str:
    text = f"Do not use {or_list(f.get('names'))}"
    if f.get("replacement"):
        text += f"; use {f['replacement']} instead"
    return text


def fix(constraint: Any, found: Finding) -> Rewrite:
    """The banned name (the finding's key) becomes the ``replacement``."""
    return Rewrite(names={found.key: constraint.replacement})


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from pydantic import Field

    from charter.hooks.constraint.fields import ConstraintBase, QualifiedNames, checked_by

    class BannedApi(ConstraintBase):
        kind: Literal["banned-api"]
        names: QualifiedNames = Field(min_length=1)
        replacement: str | None = Field(
            default=None, description="Fully qualified name to use instead (enables autofix)."
        )

        _checks = checked_by(check_fields)

    return BannedApi


def check_fields(record: Any) -> None:
    """What the fields must hold together (run with and without pydantic)."""
    from charter.hooks.constraint.checks import check_qualified

    if record.replacement is not None:
        check_qualified(record.replacement)


def example(f: Fields) -> Example:
    name = first(f.get("names"))
    fix = f"Call `{f['replacement']}` instead" if f.get("replacement") else "Do without it"
    return f"a use of `{name}`, such as `{name}(...)`", fix


KIND = Kind(
    name="banned-api",
    rank=70,
    sample={"names": ["datetime.datetime.now"], "replacement": "app.clock.now"},
    summary=(
        "Uses of fully qualified names (calls, attribute access, imports), aliases "
        "resolved: `import datetime as dt; dt.datetime.now()` is `datetime.datetime.now`."
    ),
    example=example,
    needles=needles,
    qualified_names=("names",),
    model=model,
    reads=Reads.PYTHON_FACTS,
    check=check,
    strictness={"names": Strictness.KEEPS},
    instruction=instruction,
    vocabulary=lambda f: "call use function api " + about(f.get("names") or ()),
    fix=fix,
)
