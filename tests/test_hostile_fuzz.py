"""Hypothesis on the parsers of untrusted input the rest of the suite does not fuzz:
the configuration (TOML values of any type), the baseline, YAML with anchors, and the
FILE arguments. Each returns its value or Charter's one expected error, never another
exception (``tests/test_fuzz.py`` covers decisions, waivers, scenarios, patches, commit
messages and the journal; ``test_hostile_sim.py`` results files and predictions).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.hostile import FUZZ_BOUNDED

from charter.hooks import baseline, boundedyaml
from charter.hooks import settings as settings_module
from charter.hooks.errors import CharterError
from charter.hooks.source.paths import repository_paths

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))

TOML_SCALAR = st.one_of(
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text("ab./*{},-_ ", max_size=8),
)
TOML_VALUE = st.recursive(
    TOML_SCALAR,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text("abc", min_size=1, max_size=3), inner, max_size=2)
    ),
    max_leaves=6,
)
KEYS = st.sampled_from([*settings_module.KEYS, "exclud", "tool"])


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"


@FUZZ_BOUNDED
@FUZZ
@given(st.dictionaries(KEYS, TOML_VALUE, max_size=4))
def test_any_charter_table_gives_settings_or_an_error_naming_the_file(
    tmp_path_factory: Any, table: dict[str, Any]
) -> None:
    root = tmp_path_factory.mktemp("repo")
    (root / ".git").mkdir()
    lines = ["[tool.charter]", *(f"{json.dumps(k)} = {_toml(v)}" for k, v in table.items())]
    (root / "pyproject.toml").write_text("\n".join(lines) + "\n")
    try:
        loaded, values = settings_module.load(root, environ={})
    except CharterError as exc:
        assert str(exc).startswith(("pyproject.toml", "environment"))
    else:
        assert loaded.cache_dir not in (".", "") and set(values) >= set(settings_module.KEYS)


ENTRY_KEYS = st.sampled_from(["fingerprint", "path", "key"])


@FUZZ_BOUNDED
@FUZZ
@given(
    st.one_of(
        st.binary(max_size=60),
        st.dictionaries(
            st.sampled_from(["schema", "entries", "x"]),
            st.one_of(
                st.just(baseline.SCHEMA),
                st.lists(
                    st.dictionaries(
                        st.sampled_from(["fingerprint", "path", "key"]),
                        st.text(max_size=4) | st.integers(),
                    ),
                    max_size=3,
                ),
                st.integers(),
            ),
        ).map(lambda d: json.dumps(d).encode()),
    )
)
def test_any_baseline_bytes_give_entries_or_a_value_error(data: bytes) -> None:
    try:
        entries = baseline.parse(data)
    except ValueError as exc:
        assert str(exc)
    else:
        assert all(isinstance(e["fingerprint"], str) for e in entries)


ANCHORED = st.lists(
    st.sampled_from(
        ["&a [1, 2]", "*a", "[*a, *a]", "&b [*a, *a, *a]", "*b", "{k: *a}", "x", "&c [*c]"]
    ),
    min_size=1,
    max_size=8,
).map(lambda items: "\n".join(f"k{i}: {item}" for i, item in enumerate(items)) + "\n")


@FUZZ_BOUNDED
@FUZZ
@given(ANCHORED)
def test_yaml_with_any_anchors_loads_or_is_a_marked_error(text: str) -> None:
    try:
        boundedyaml.load(text)
    except yaml.YAMLError as exc:
        assert isinstance(exc, yaml.MarkedYAMLError) or "alias" in str(exc) or "anchor" in str(exc)


NAME = st.lists(st.sampled_from(["a", "b", ".", "..", "", "x.py", "/", "./", " "]), max_size=5).map(
    "/".join
)


@FUZZ_BOUNDED
@FUZZ
@given(st.lists(NAME, min_size=1, max_size=3))
def test_any_file_argument_is_a_repository_path_or_an_error_naming_it(names: list[str]) -> None:
    root = Path("/repo")
    known = ["a/x.py", "b/x.py", "x.py"]
    try:
        found = repository_paths(root, names, known, cwd=root / "a")
    except CharterError as exc:
        assert any(name in str(exc) for name in names)
    else:
        assert set(found) <= set(known)
