"""The import rules' module patterns: ``import_rules.matcher`` tests a pattern without a
wildcard as a name and a prefix, without a regular expression; it must say what the
pattern's regular expression (``modules.pattern_regex``) says of every module name."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from charter.hooks.kinds.import_rules import matcher
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
