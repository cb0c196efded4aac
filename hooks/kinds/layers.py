"""layers: ordered layers; a higher layer may import a lower one, never the reverse.

A layer that is a list (or ``'a | b'``) holds independent siblings, ``'a : b'`` siblings
that may import each other (import-linter's syntax). Layer names are relative to each
of ``containers`` (when given; ``app.*`` names each package it matches, and each must
hold every layer not in ``optional``); ``levels`` is the one place that expands them.
With ``exhaustive``, every child of a container must be a layer (or in
``exhaustive_ignores``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from charter.hooks.kinds.examples import Example, first
from charter.hooks.kinds.import_rules import (
    CHAINS,
    STRICTNESS,
    Rule,
    exceptions,
    forbidden,
    graph_check,
    members,
    required,
)
from charter.hooks.kinds.kind import (
    Fields,
    Kind,
    ModuleName,
    Reads,
    Strictness,
    finding,
    or_list,
)
from charter.hooks.kinds.topics import IMPORTS

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.source.graph import ImportGraph
    from charter.hooks.view import SnapshotView


@dataclass(frozen=True)
class Level:
    """One layer: its module names, and whether they must not import each other."""

    names: tuple[str, ...]
    independent: bool = True


def parse_levels(layers: Sequence[str | Sequence[str]]) -> tuple[Level, ...]:
    """The layers of a ``layers`` field, highest first.

    A list holds independent siblings; a string ``'a : b'`` holds siblings that may
    import each other, and ``'a | b'`` independent ones (import-linter's syntax).
    """
    found = []
    for layer in layers:
        if not isinstance(layer, str):
            found.append(Level(tuple(layer)))
        elif ":" in layer:
            found.append(Level(tuple(n.strip() for n in layer.split(":")), independent=False))
        else:
            found.append(Level(tuple(n.strip() for n in layer.split("|"))))
    return tuple(found)


def levels(layers: Sequence[Any], container: str = "") -> list[Level]:
    """The layers, highest first, each with the full module names of its members."""
    prefix = f"{container}." if container else ""
    return [
        Level(tuple(prefix + name for name in level.names), level.independent)
        for level in parse_levels(layers)
    ]


def judge(
    active: ActiveConstraint, view: SnapshotView, graph: ImportGraph, paths: Sequence[str]
) -> Iterator[Finding]:
    constraint = active.constraint
    in_scope = set(paths)
    containers = constraint.containers
    for container in members(containers, sorted(view.index.modules)) if containers else [""]:
        ordered = levels(constraint.layers, container)
        if "*" in "".join(containers):
            yield from _missing_layers(active, view, container, ordered)
        # An indirect chain that runs through another layer is that layer's violation.
        in_any_layer = [name for level in ordered for name in level.names]
        for low_index, level in enumerate(ordered):
            higher = [name for above in ordered[:low_index] for name in above.names]
            for low in level.names:
                siblings = [n for n in level.names if n != low] if level.independent else []
                for targets, relation in ((higher, "higher layer"), (siblings, "sibling")):
                    if not targets:
                        continue
                    rule = Rule(
                        low,
                        targets,
                        constraint.transitive,
                        constraint.allow_type_checking,
                        _describe(low, relation),
                        in_any_layer,
                    )
                    yield from forbidden(active, view, graph, in_scope, rule)
        if constraint.exhaustive and container:
            yield from _undeclared(active, view, in_scope, container, ordered)


def _missing_layers(
    active: ActiveConstraint, view: SnapshotView, container: str, ordered: Sequence[Level]
) -> Iterator[Finding]:
    """A container a wildcard names must hold every layer (``validate`` cannot expand it)."""
    optional = set(active.constraint.optional or ())
    for name in (n for level in ordered for n in level.names):
        tail = name.rpartition(".")[2]
        if tail in optional or name in optional or view.index.resolves(name):
            continue
        path = _first_file(view, container)
        if path is not None:
            message = (
                f"{container} has no layer {tail} (list it in 'optional' if it may be missing)"
            )
            yield finding(active, path, 1, 1, message, f"missing:{name}")


def _undeclared(
    active: ActiveConstraint,
    view: SnapshotView,
    in_scope: set[str],
    container: str,
    ordered: Sequence[Level],
) -> Iterator[Finding]:
    """``exhaustive``: each child of the container not named as a layer (nor ignored)."""
    declared = {name for level in ordered for name in level.names}
    declared.update(f"{container}.{name}" for name in active.constraint.exhaustive_ignores)
    prefix = container + "."
    children = sorted(
        {
            prefix + m[len(prefix) :].split(".")[0]
            for m in view.index.modules
            if m.startswith(prefix)
        }
    )
    for child in children:
        path = view.index.modules.get(child) or _first_file(view, child)
        if child in declared or path is None or path not in in_scope:
            continue
        message = f"{child} is not a layer of {container} (the layers are exhaustive)"
        yield finding(active, path, 1, 1, message, f"undeclared:{child}")


def _first_file(view: SnapshotView, package: str) -> str | None:
    """The package's own file, or its first module's (a folder without __init__.py)."""
    if package in view.index.modules:
        return view.index.modules[package]
    prefix = package + "."
    return next((p for m, p in sorted(view.index.modules.items()) if m.startswith(prefix)), None)


def _describe(layer: str, relation: str) -> Callable[[str, str], str]:
    def describe(source: str, target: str) -> str:
        return f"{source} (layer {layer}) imports {target} ({relation})"

    return describe


def relaxations(old: Any, new: Any) -> list[str]:
    """Imports between layers the old order forbade and the new one allows."""
    allowed = sorted(_forbidden_pairs(old) - _forbidden_pairs(new))
    return [f"now allows {lower} to import {higher}" for lower, higher in allowed[:5]] + (
        [f"and {len(allowed) - 5} more layer imports"] if len(allowed) > 5 else []
    )


def _forbidden_pairs(constraint: Any) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for container in tuple(constraint.containers) or ("",):
        ordered = levels(constraint.layers, container)
        for high, level in enumerate(ordered):
            for a in level.names:
                if level.independent:
                    pairs.update((b, a) for b in level.names if b != a)
                for lower in ordered[high + 1 :]:
                    pairs.update((b, a) for b in lower.names)
    return pairs


def _text(level: Level) -> str:
    if len(level.names) == 1:
        return level.names[0]
    return "(" + (" | " if level.independent else " : ").join(level.names) + ")"


def instruction(f: Fields) -> str:
    containers = f.get("containers") or ()
    inside = f" inside {or_list(containers)}" if containers else ""
    order = " > ".join(_text(level) for level in parse_levels(f.get("layers", ())))
    text = (
        f"Respect the layers {order}{inside}: a layer may import the layers below it, "
        "never one above it"
    )
    if f.get("exhaustive"):
        text += "; every subpackage must be one of the layers"
    return text + exceptions(f)


def modules(f: Fields) -> Iterator[ModuleName]:
    containers = f.get("containers") or ("",)
    expanded = [levels(f.get("layers", ()), container) for container in containers]
    named = []
    for position, level in enumerate(parse_levels(f.get("layers", ()))):
        for index in range(len(level.names)):
            for by_container in expanded:
                named.append(
                    ModuleName("layers", position, by_container[position].names[index], True)
                )
    yield from required(iter(named), f)


def check_fields(record: Any) -> None:
    """What the fields must hold together (run with and without pydantic)."""
    from charter.hooks.constraint.checks import check_module_pattern

    seen: set[str] = set()
    for level in parse_levels(record.layers):
        if "|" in "".join(level.names) or ":" in "".join(level.names):
            raise ValueError("a layer cannot mix ':' and '|' siblings")
        for name in level.names:
            check_module_pattern(name)
            if name in seen:
                raise ValueError(f"layer {name!r} is listed twice")
            seen.add(name)
    if record.exhaustive and not record.containers:
        raise ValueError("'exhaustive' needs 'containers': their children must be layers")


@cache
def model() -> type[ConstraintBase]:
    """The front-matter model, built on first use (it needs pydantic)."""
    from pydantic import Field

    from charter.hooks.constraint.fields import ImportRule, Modules, checked_by

    class Layers(ImportRule):
        kind: Literal["layers"]
        layers: tuple[str | tuple[str, ...], ...] = Field(
            min_length=2,
            description="Highest first; a layer that is a list (or 'a | b') holds independent "
            "siblings, 'a : b' siblings that may import each other.",
        )
        containers: Modules = Field(
            default=(), description="Packages the layer names are relative to ('app.*' allowed)."
        )
        transitive: bool = Field(default=True, description="Also forbid indirect import chains.")
        allow_type_checking: bool = False
        exhaustive: bool = Field(
            default=False, description="Every child of every container must be a layer."
        )
        exhaustive_ignores: tuple[str, ...] = Field(
            default=(), description="Children of the containers that need not be layers."
        )

        _checks = checked_by(check_fields)

    return Layers


def example(f: Fields) -> Example:
    layers = [first(layer) for layer in f.get("layers", ())]
    prefix = f"{first(f['containers'])}." if f.get("containers") else ""
    high, low = prefix + layers[0], prefix + layers[-1]
    return (
        f"`import {high}` in a module of `{low}` (a lower layer importing a higher one)",
        f"Move what `{low}` needs from `{high}` down into `{low}` or below, "
        f"or let `{high}` pass it in",
    )


KIND = Kind(
    name="layers",
    rank=20,
    sample={"layers": ["api", ["service", "jobs"], "db"], "containers": ["app"]},
    summary=(
        "Ordered layers, highest first: a higher layer may import a lower one, never the "
        "reverse. A list item that is itself a list holds independent siblings."
    ),
    example=example,
    model=model,
    reads=Reads.IMPORT_GRAPH,
    check=graph_check(judge),
    strictness={
        **CHAINS,
        "containers": Strictness.KEEPS,
        "exhaustive": Strictness.STAYS_TRUE,
        "exhaustive_ignores": Strictness.NO_NEW,
        **STRICTNESS,
    },
    relaxations=relaxations,
    instruction=instruction,
    vocabulary=lambda f: (
        "layer layering architecture above below higher lower direction" + " " + IMPORTS
    ),
    modules=modules,
)
