"""Hostile globs: linear-time matching, brace alternatives, odd paths (issue 13).

A glob comes from a decision or the config, which anyone with commit access can write:
no glob may hang the hook, and none may silently match nothing.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.hostile import BOUNDED, FUZZ_BOUNDED, timed

from charter.hooks.globs import (
    MAX_ALTERNATIVES,
    GlobSet,
    expand_braces,
    glob_problem,
    matches,
    slow_matches,
)

pytestmark = BOUNDED

DEEP = "/".join(["a"] * 2000) + "/b"  # 4001 characters, 2001 segments
LONG_SEGMENT = "a" * 4000 + "!"


@pytest.mark.parametrize(
    ("pattern", "path"),
    [
        ("/".join(["**"] * 40) + "/c", DEEP),  # many '**/' in a row
        ("**/a/**/a/**/a/**/a/**/a/**/a/**/c", DEEP),  # '**' separated by literals
        ("**/" + "*a*a*a*a*a*a*a*a*a*a*b", LONG_SEGMENT),  # many '*' in one segment
        ("*a*a*a*a*a*a*a*a*a*a*a*a*b", LONG_SEGMENT),
        ("**/*a*a*a*a*/**/*a*a*a*/x", DEEP),
        ("{a,b}/**/" * 3 + "c", DEEP),
    ],
)
def test_matching_time_is_bounded_for_adversarial_globs(pattern: str, path: str) -> None:
    """Proves the glob bound: each of these took minutes with a backtracking regex."""
    assert glob_problem(pattern) is None
    matched, seconds = timed(lambda: GlobSet([pattern]).match(path))
    assert matched is False
    assert seconds < 5, f"{pattern!r} took {seconds:.2f} s"


def test_a_matching_adversarial_glob_is_still_found_quickly() -> None:
    pattern = "**/a/**/a/**/b"
    matched, seconds = timed(lambda: matches(pattern, DEEP))
    assert matched is True and seconds < 5


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("*.{py,pyi}", "api.py", True),
        ("*.{py,pyi}", "api.pyi", True),
        ("*.{py,pyi}", "api.txt", False),
        ("src/{app,lib}/**/*.py", "src/lib/x/y.py", True),
        ("src/{app,lib}/**/*.py", "src/tests/y.py", False),
        ("{docs,examples}/", "docs/a.md", True),
        ("{a,b{c,d}}.txt", "bd.txt", True),
        ("{a,b{c,d}}.txt", "b.txt", False),
        ("{x}.py", "{x}.py", True),  # no comma: literal braces, as in the shell
        ("[{]x[}].py", "{x}.py", True),
        ("{,tests/}conftest.py", "conftest.py", True),
        ("{,tests/}conftest.py", "tests/conftest.py", True),
    ],
)
def test_brace_globs_expand_to_alternatives(pattern: str, path: str, expected: bool) -> None:
    assert glob_problem(pattern) is None
    assert matches(pattern, path) is expected
    assert GlobSet([pattern]).match(path) is expected


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        (
            "*.{py,txt",
            "glob '*.{py,txt' has an unclosed '{': close it, or write '[{]' for a literal brace",
        ),
        ("*.py}", "glob '*.py}' has a '}' without its '{': write '[}]' for a literal brace"),
        (
            "{a,b}" * 7,
            f"glob {'{a,b}' * 7!r} expands to more than {MAX_ALTERNATIVES} "
            "alternatives: split it into several globs",
        ),
        ("{src,..}/x.py", "glob '{src,..}/x.py' leaves the repository with '..'"),
        ("a\0b", "glob 'a\\x00b' holds a NUL character, which no path holds"),
    ],
)
def test_bad_brace_globs_are_rejected_with_the_fix(pattern: str, problem: str) -> None:
    assert glob_problem(pattern) == problem


@pytest.mark.parametrize(
    ("pattern", "path"),
    [
        ("src/**", "src/new\nline.py"),
        ("*.py", "new\nline.py"),
        ("**/*.py", "a\nb/c.py"),
        ("docs/", "docs/x\n"),
        ("src/*", "src/tab\there.py"),
        ("**/*.py", "dir with spaces/x.py"),
        ("**/*.py", "ünïcødé/ñ.py"),
    ],
)
def test_paths_with_newlines_and_odd_characters_match(pattern: str, path: str) -> None:
    assert matches(pattern, path)
    assert GlobSet([pattern]).match(path)


def test_brace_expansion_keeps_order_and_drops_duplicates() -> None:
    assert expand_braces("{b,a,b}.py") == ["b.py", "a.py"]


SEGMENT = st.text(alphabet="ab.", min_size=1, max_size=3).filter(lambda s: s not in (".", ".."))
PATH = st.lists(SEGMENT, min_size=1, max_size=5).map("/".join)
TOKEN = st.sampled_from(
    ["a", "b", ".", "*", "**", "?", "/", "**/", "[ab]", "[!a]", "{a,b}", "{a/,}", "/**/"]
)
PATTERN = st.lists(TOKEN, min_size=1, max_size=7).map("".join).filter(lambda p: not glob_problem(p))


@FUZZ_BOUNDED
@settings(max_examples=400, deadline=None, database=None)
@given(pattern=PATTERN, path=PATH)
def test_the_fast_regex_and_the_linear_matcher_agree(pattern: str, path: str) -> None:
    assert matches(pattern, path) == slow_matches(pattern, path)
