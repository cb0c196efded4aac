"""Glob semantics (SPEC §3): repository-relative POSIX paths, ``*`` never crosses ``/``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charter.hooks.globs import GlobSet, glob_problem, matches


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        # `*` and `?` stay within one segment
        ("*.py", "setup.py", True),
        ("*.py", "src/setup.py", False),
        ("src/*", "src/app.py", True),
        ("src/*", "src/app/api.py", False),
        ("src/*.py", "src/app/api.py", False),
        ("a?.py", "ab.py", True),
        ("a?.py", "a/.py", False),
        ("a*b", "ax/xb", False),
        ("a**b", "ax/xb", False),  # `**` inside a segment is just `*`
        ("**.py", "app/api.py", False),
        # `**/` is zero or more folders
        ("config/**/*.yaml", "config/settings.yaml", True),
        ("config/**/*.yaml", "config/prod/eu/settings.yaml", True),
        ("config/**/*.yaml", "configs/settings.yaml", False),
        ("**/test_*.py", "test_root.py", True),
        ("**/test_*.py", "tests/unit/test_api.py", True),
        ("**/test_*.py", "tests/unit/api_test.py", False),
        ("src/**", "src/a/b/c.py", True),
        ("src/**", "src", False),
        ("src/**", "srcs/a.py", False),
        ("**", "any/path/at/all.txt", True),
        # a trailing `/` is everything below the folder
        ("migrations/", "migrations/0001.sql", True),
        ("migrations/", "migrations/old/0001.sql", True),
        ("migrations/", "migrations", False),
        ("migrations/", "old/migrations/0001.sql", False),
        # anchored at the root, literal otherwise
        ("setup.py", "setup.py", True),
        ("setup.py", "pkg/setup.py", False),
        ("./setup.py", "setup.py", True),
        ("a.py", "aXpy", False),
        ("*.py", ".hidden.py", True),
        # character classes, never matching `/`
        ("[ab].py", "a.py", True),
        ("[ab].py", "c.py", False),
        ("[!ab].py", "c.py", True),
        ("[!ab].py", "a.py", False),
        ("[a-c].py", "b.py", True),
        ("[a-c].py", "d.py", False),
        ("[-a]x", "-x", True),
        ("[]].py", "].py", True),
        ("a[!b]c", "a/c", False),
        ("a[/]c", "a/c", False),
        ("a[]", "a[]", True),  # an empty class is literal text, as in fnmatch
    ],
)
def test_glob_semantics(pattern: str, path: str, expected: bool) -> None:
    assert matches(pattern, path) is expected
    assert GlobSet([pattern]).match(path) is expected


@pytest.mark.parametrize(
    ("pattern", "problem"),
    [
        ("", "an empty glob matches nothing"),
        ("   ", "an empty glob matches nothing"),
        ("/etc/*.conf", "glob '/etc/*.conf' is absolute; write it relative to the repository root"),
        ("C:/src/*.py", "glob 'C:/src/*.py' is absolute; write it relative to the repository root"),
        ("src\\app.py", "glob 'src\\\\app.py' uses '\\'; write paths with '/'"),
        ("../other/*.py", "glob '../other/*.py' leaves the repository with '..'"),
        ("src/../x", "glob 'src/../x' leaves the repository with '..'"),
        ("src/[ab.py", "glob 'src/[ab.py' has an unclosed '['"),
        ("[z-a]", "glob '[z-a]' has a range running backwards: write it low to high, as '[a-z]'"),
        ("src/**/*.py", None),
        ("migrations/", None),
        ("..foo/*.py", None),
        ("[!]].py", None),
    ],
)
def test_glob_problem(pattern: str, problem: str | None) -> None:
    assert glob_problem(pattern) == problem


def test_every_glob_that_glob_problem_accepts_compiles() -> None:
    for pattern in ("[!]", "[]]", "a[]", "[a-]", "[--]", "[&&]", "[a-c-e]"):
        assert glob_problem(pattern) is None
        GlobSet([pattern]).match("x")  # must not raise


def test_empty_globset_matches_nothing() -> None:
    empty = GlobSet([])
    assert not empty
    assert not empty.match("")
    assert not empty.match("a.py")
    assert GlobSet(["*.py"])
    assert repr(GlobSet(["*.py", "docs/"])) == "GlobSet(['*.py', 'docs/'])"


SEGMENT = st.text(alphabet="ab.", min_size=1, max_size=3).filter(lambda s: s not in (".", ".."))
PATH = st.lists(SEGMENT, min_size=1, max_size=4).map("/".join)
TOKEN = st.sampled_from(["a", "b", ".", "*", "**", "?", "/", "**/", "[ab]", "[!a]", "[a-b]"])
PATTERN = st.lists(TOKEN, min_size=1, max_size=6).map("".join).filter(lambda p: not glob_problem(p))


@settings(max_examples=300, deadline=None, database=None)
@given(patterns=st.lists(PATTERN, min_size=1, max_size=4), path=PATH)
def test_globset_matches_like_its_globs_one_by_one(patterns: list[str], path: str) -> None:
    assert GlobSet(patterns).match(path) == any(matches(g, path) for g in patterns)


FLAT_TOKEN = st.sampled_from(["a", "b", ".", "*", "?", "/", "[ab]", "[!a]", "[a-b]"])
FLAT_PATTERN = (
    st.lists(FLAT_TOKEN, min_size=1, max_size=6)
    .map("".join)
    .filter(lambda p: "**" not in p and not p.endswith("/") and not p.startswith("./"))
    .filter(lambda p: not glob_problem(p))
)


@settings(max_examples=300, deadline=None, database=None)
@given(pattern=FLAT_PATTERN, path=PATH)
def test_only_double_star_crosses_folders(pattern: str, path: str) -> None:
    """Without ``**``, a matching path has exactly as many folders as the pattern."""
    if matches(pattern, path):
        assert path.count("/") == pattern.count("/")
