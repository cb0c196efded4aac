"""layers: ordered layers; a higher layer may import a lower one, never the reverse.

A layer that is itself a list holds independent siblings. Layer names are relative to
each of ``containers`` (when given); ``levels`` is the one place that expands them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from charter.hooks.kinds.import_rules import Rule, forbidden, matcher
from charter.hooks.kinds.kind import (
    Fields,
    Kind,
    ModuleName,
    Reads,
    Strictness,
    layer_text,
    or_list,
)

if TYPE_CHECKING:
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.view import SnapshotView


def levels(layers: Sequence[Any], container: str = "") -> list[list[str]]:
    """The layers, highest first, each as the full module names of its members."""
    prefix = f"{container}." if container else ""
    return [
        [prefix + name for name in ((layer,) if isinstance(layer, str) else layer)]
        for layer in layers
    ]


def check(active: ActiveConstraint, view: SnapshotView, paths: Sequence[str]) -> Iterator[Finding]:
    constraint = active.constraint
    in_scope = set(paths)
    for container in constraint.containers or ("",):
        ordered = levels(constraint.layers, container)
        # An indirect chain that runs through another layer is that layer's violation.
        in_any_layer = matcher([name for level in ordered for name in level])
        for low_index, low_level in enumerate(ordered):
            higher = [name for level in ordered[:low_index] for name in level]
            for low in low_level:
                siblings = [name for name in low_level if name != low]
                for targets, relation in ((higher, "higher layer"), (siblings, "sibling")):
                    if not targets:
                        continue
                    rule = Rule(
                        matcher([low]),
                        targets,
                        constraint.transitive,
                        constraint.allow_type_checking,
                        _describe(low, relation),
                        in_any_layer,
                    )
                    yield from forbidden(active, view, in_scope, rule)


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
        for high, higher_level in enumerate(ordered):
            for a in higher_level:
                pairs.update((b, a) for b in higher_level if b != a)
                for lower_level in ordered[high + 1 :]:
                    pairs.update((b, a) for b in lower_level)
    return pairs


def instruction(f: Fields) -> str:
    containers = f.get("containers") or ()
    inside = f" inside {or_list(containers)}" if containers else ""
    order = " > ".join(layer_text(layer) for layer in f.get("layers", ()))
    return (
        f"Respect the layers {order}{inside}: a layer may import the layers below it, "
        "never one above it"
    )


def modules(f: Fields) -> Iterator[ModuleName]:
    containers = f.get("containers") or ("",)
    expanded = [levels(f.get("layers", ()), container) for container in containers]
    for position, layer in enumerate(f.get("layers", ())):
        for index in range(1 if isinstance(layer, str) else len(layer)):
            for by_container in expanded:
                yield ModuleName("layers", position, by_container[position][index], True)


def _model() -> type[ConstraintBase]:
    from charter.hooks.decisions.model import Layers

    return Layers


KIND = Kind(
    name="layers",
    model=_model,
    reads=Reads.IMPORT_GRAPH,
    check=check,
    strictness={"transitive": Strictness.STAYS_TRUE, "allow_type_checking": Strictness.STAYS_FALSE},
    relaxations=relaxations,
    instruction=instruction,
    modules=modules,
)
