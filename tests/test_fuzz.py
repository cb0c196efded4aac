"""Parsers of untrusted input never crash: they return problems (hypothesis)."""

from __future__ import annotations

import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.hooks.decisions.load import parse_text
from charter.hooks.kinds import KINDS
from charter.hooks.source.facts import extract
from charter.hooks.waivers import scan

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(string.ascii_lowercase + "_-", max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
keys = st.sampled_from(
    ["id", "title", "status", "supersedes", "scope", "tags", "date", "constraints", "x"]
)
constraint = st.fixed_dictionaries(
    {"kind": st.sampled_from([*KINDS, "nope"])},
    optional={
        name: values
        for name in ("from", "to", "layers", "names", "pattern", "paths", "allow", "check")
    },
)
front_matter = st.dictionaries(keys, values, max_size=6).map(dict) | st.fixed_dictionaries(
    {
        "id": st.just("ADR-1"),
        "title": st.just("t"),
        "status": st.sampled_from(["accepted", "proposed", "x"]),
        "constraints": st.lists(constraint, max_size=3),
    }
)


@FUZZ
@given(front_matter)
def test_any_front_matter_gives_a_decision_or_problems_with_lines(data: dict[str, object]) -> None:
    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n# Title\n"
    parsed = parse_text(text, "docs/decisions/0001-x.md")
    assert parsed.file is not None or any(p.severity == "error" for p in parsed.problems)
    for problem in parsed.problems:
        assert problem.path == "docs/decisions/0001-x.md"
        assert 1 <= problem.line <= text.count("\n") + 1
        assert problem.message


@FUZZ
@given(st.text(max_size=300))
def test_any_text_is_read_without_crashing(text: str) -> None:
    parse_text("---\n" + text + "\n---\n", "d.md")
    parse_text(text, "d.md")


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_give_facts_or_a_syntax_error(data: bytes) -> None:
    facts = extract(data, "pkg.mod")
    assert facts.syntax_error is not None or isinstance(facts.imports, tuple)


@FUZZ
@given(st.text(max_size=200))
def test_waiver_scan_never_crashes(text: str) -> None:
    import datetime

    for waiver in scan("f.py", "# charter: allow " + text, datetime.date(2026, 1, 1)):
        assert waiver.ids


# -- the simulator's scenario parser and patch path checks ---------------------------

scenario_keys = st.sampled_from(
    ["schema", "name", "repo", "oracle", "constraint_sets", "recorded_with", "mode", "tasks", "x"]
)
scenario_data = st.dictionaries(scenario_keys, values, max_size=8) | st.fixed_dictionaries(
    {
        "schema": st.just("charter-scenario/1"),
        "name": st.text(max_size=8),
        "repo": st.sampled_from(["repo/", "../x", "/abs", {"bundle": "b"}, {"git": "u"}]),
        "oracle": st.sampled_from(["o/", "..", "/etc", ""]),
        "constraint_sets": st.dictionaries(st.text(max_size=5), st.text(max_size=8), max_size=2),
        "tasks": st.lists(
            st.fixed_dictionaries(
                {"id": st.text(max_size=5), "attempts": st.lists(values, max_size=2)}
            ),
            max_size=2,
        ),
    }
)


@FUZZ
@given(scenario_data)
def test_any_scenario_yaml_loads_or_fails_with_a_located_error(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, object]
) -> None:
    from charter.hooks.errors import CharterError
    from charter.simulator import scenario

    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "repo").mkdir()
    (folder / "o").mkdir()
    (folder / "scenario.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    try:
        scenario.load(folder)
    except CharterError as exc:
        assert str(folder / "scenario.yaml") in str(exc)


path_text = st.lists(
    st.sampled_from(["a", "b", ".", "/", "\\", ":", "C", "\0", " ", "..", ".git", ".GIT"]),
    max_size=10,
).map("".join)


@FUZZ
@given(path_text)
def test_a_path_that_passes_the_check_stays_inside_the_repository(path: str) -> None:
    import posixpath

    from charter.simulator import patches

    if patches.path_problem(path) is None:
        assert not path.startswith("/") and "\0" not in path
        normal = posixpath.normpath(path.replace("\\", "/"))
        assert normal != ".." and not normal.startswith("../")
        assert ".git" not in normal.lower().split("/")


@FUZZ
@given(st.lists(st.sampled_from([
    "diff --git a/x b/y", "--- a/../z", "+++ b//abs", "rename from ../q", "new file mode 120000",
    "+../../out", '+++ "b/\\303\\251"', "@@ -1 +1 @@", "+text", "copy to .git/config",
]), max_size=12).map("\n".join))  # fmt: skip
def test_patch_checks_never_crash_and_catch_escapes(diff: str) -> None:
    from charter.simulator import patches

    found = patches.problems(diff)
    for line, _ in found:
        assert 1 <= line <= diff.count("\n") + 1
    if any(bad in diff for bad in ("a/../z", "b//abs", "from ../q", "to .git/")):
        assert found


@FUZZ
@given(
    st.text(max_size=400)
    | st.lists(
        st.sampled_from(
            [
                "Subject",
                "",
                "Charter-Waive: ADR-0001 -- reason",
                "Charter-Waive: ADR-0001",
                "Charter-Approved-By: Dana",
                "Charter-Approved-By:",
                "# comment",
                "# ------------------------ >8 ------------------------",
                "  continued",
                "Signed-off-by: x",
            ]
        ),
        max_size=12,
    ).map("\n".join)
)
def test_any_commit_message_parses(raw: str) -> None:
    from charter.hooks.message import parse

    message = parse(raw)
    assert all(waive.reason and waive.ids for waive in message.waives)
    assert all(name for name in message.approvals)
    assert "\n#" not in "\n" + message.text  # comment lines never survive cleaning


@FUZZ
@given(st.lists(st.binary(max_size=80) | st.text(max_size=80).map(str.encode), max_size=8))
def test_a_damaged_journal_is_read_line_by_line(
    tmp_path_factory: pytest.TempPathFactory, lines: list[bytes]
) -> None:
    import subprocess

    from charter.hooks import journal

    root = tmp_path_factory.mktemp("journal")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    folder = journal.folder(root)
    folder.mkdir(parents=True)
    good = (
        b'{"schema": "charter-journal/1", "stage": "pre-commit", "id": "x", "verdict": "accepted"}'
    )
    (folder / journal.ATTEMPTS).write_bytes(b"\n".join([good, *lines, good]) + b"\n")
    records, problems = journal.read(root)
    assert len(records) >= 2
    assert all(isinstance(r.data, dict) for r in records)
    assert all(problem.line >= 1 for problem in problems)
    assert len(journal.attempts(records)) >= 2
