"""YAML from untrusted text, with a bound on what one document may cost.

Decisions, ``.pre-commit-config.yaml`` and scenarios are written by anyone with commit
access. Aliases share nodes, so a few lines of anchors (``&a [*b, *b, ...]``) expand to
billions of values once constructed or walked: the 'billion laughs'. Every document is
composed first and refused when its aliases expand past ``MAX_NODES`` or loop; the error
is a ``yaml.MarkedYAMLError`` naming the line, so callers report it like any bad YAML.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_NODES = 20_000  # values once aliases are expanded; real files hold a few hundred

_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check(root: yaml.Node) -> None:
    """Refuse a node graph whose aliases expand past ``MAX_NODES``, or that loops.

    Each node's expanded size is counted once (memoised), so the check costs the size
    of the graph, not of its expansion. A long list written out in full is not refused
    here (the caller bounds the text's size): only repetition through aliases is.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    first_over: yaml.Node | None = None
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] > MAX_NODES and first_over is None:
                first_over = node
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise _refused(node, "an alias refers to its own anchor (a loop)")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    if first_over is not None and sizes[id(root)] > len(sizes):
        raise _refused(first_over, f"expands to more than {MAX_NODES} values")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _refused(node: yaml.Node, why: str) -> yaml.MarkedYAMLError:
    return yaml.MarkedYAMLError(
        problem=f"{why}; write the values out instead of repeating anchors ('&x' / '*x')",
        problem_mark=node.start_mark,
    )


def compose(text: str | bytes) -> yaml.Node | None:
    """The checked node graph of one YAML document (None when empty)."""
    node = yaml.compose(text, Loader=_SafeLoader)
    if node is not None:
        check(node)
    return node


def load(text: str | bytes) -> Any:
    """``yaml.safe_load``, refusing documents whose aliases expand past the bound."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()
