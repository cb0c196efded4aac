"""The import rules' module patterns: ``import_rules.matcher`` tests a pattern without a
wildcard as a name and a prefix, without a regular expression; it must say what the
pattern's regular expression (``modules.pattern_regex``) says of every module name;
``ImportGraph.named``, the same answer for every module of a graph at once, must too."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from charter.hooks.kinds.import_rules import matcher, named
from charter.hooks.source.graph import ImportGraph
from charter.hooks.source.modules import pattern_regex

SEGMENTS = st.sampled_from(["a", "b", "ab", "db", "*", "**", "", "a\n"])
NAMES = st.lists(SEGMENTS, min_size=1, max_size=4).map(".".join)


@given(st.lists(NAMES, min_size=1, max_size=3), NAMES, st.booleans())
def test_a_matcher_agrees_with_the_patterns_regular_expressions(
    patterns: list[str], module: str, submodules: bool
) -> None:
    expected = any(pattern_regex(p, submodules).match(module) for p in patterns)
    assert matcher(patterns, submodules)(module) == expected


def test_a_name_matches_itself_and_what_is_inside_it_only() -> None:
    inside = matcher(["django.db"])
    assert inside("django.db") and inside("django.db.models")
    assert not inside("django.dbx") and not inside("django") and not inside("django.db.")
    assert inside("django.db.x.") and not inside("django.db.x\n")
    exact = matcher(["django.db"], submodules=False)
    assert exact("django.db") and not exact("django.db.models")


@given(st.lists(NAMES, min_size=1, max_size=3), st.lists(NAMES, max_size=8), st.booleans())
def test_the_modules_a_graph_names_are_those_the_matcher_accepts(
    patterns: list[str], imported: list[str], submodules: bool
) -> None:
    # A first-party module per name, importing the others (external when not modules).
    modules = {name: f"{name}.py" for name in imported[::2]}
    rows = [(name, (), 1, 0, False) for name in imported]
    graph = ImportGraph(modules, {module: rows for module in modules})
    nodes = set(modules) | set(imported)
    assert sorted(graph.nodes) == sorted(nodes)
    accepts = matcher(patterns, submodules)
    assert named(graph, patterns, submodules) == {node for node in nodes if accepts(node)}


def test_a_graph_names_a_package_and_its_submodules_not_its_neighbours() -> None:
    rows = [(name, (), 1, 0, False) for name in ("django.dbx", "django.db.models", "os")]
    graph = ImportGraph({"django.db": "django/db/__init__.py"}, {"django.db": rows})
    assert graph.named("django.db") == {"django.db", "django.db.models"}
    assert graph.named("django.db", submodules=False) == {"django.db"}
    assert graph.named("django.*") == {"django.db", "django.dbx", "django.db.models"}
