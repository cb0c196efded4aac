"""Hostile simulator input: patches, results files and options (issue 13).

Scenarios and results come from recordings and other people. A patch may not reach the
host through symlinks, a results file of the wrong shape is an error naming the file
and the place, and an option out of range is refused instead of meaning "do nothing".
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.hostile import BOUNDED, FUZZ_BOUNDED

from charter.hooks import cli
from charter.hooks.errors import CharterError
from charter.simulator import patches, results
from charter.simulator.report.html import render

pytestmark = BOUNDED


def _link(path: str, target: str) -> str:
    return (
        f"diff --git a/{path} b/{path}\nnew file mode 120000\nindex 0000000..1111111\n"
        f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1 @@\n+{target}\n\\ No newline at end of file\n"
    )


# -- Symlink chains in patches (lost: a host file read or written) ----------------------


@pytest.mark.parametrize(
    ("links", "bad"),
    [
        ([("d/up", ".."), ("d/e/l2", "../up/..")], "d/e/l2"),
        ([("a/b/l1", ".."), ("l2", "a/b/l1/../../x")], "l2"),
        ([("a/b/l1", "../.."), ("a/l2", "b/l1/..")], "a/l2"),
        ([("x", "y"), ("y", "z/../.."), ("z/k", "k")], "y"),
        ([("loop1", "loop2"), ("loop2", "loop1")], "loop1"),
        ([("self", "self")], "self"),
        ([("abs", "/etc/passwd")], "abs"),
        ([("up", "../outside")], "up"),
        ([("deep/a/b/c", "../../../../x")], "deep/a/b/c"),
    ],
)
def test_symlinks_that_escape_alone_or_in_a_chain_are_refused(
    links: list[tuple[str, str]], bad: str
) -> None:
    diff = "".join(_link(path, target) for path, target in links)
    found = patches.problems(diff)
    assert any(f"symlink {bad!r} points out of the repository" in text for _, text in found)
    assert all(1 <= line <= diff.count("\n") for line, _ in found)


@pytest.mark.parametrize(
    "links",
    [
        [("docs/readme", "../README.md")],
        [("a/b/l1", ".."), ("a/l2", "b/l1/x")],  # a chain that stays inside
        [("x", "y"), ("y", "z")],
        [("d/cur", ".")],
    ],
)
def test_symlinks_that_stay_inside_are_accepted(links: list[tuple[str, str]]) -> None:
    assert patches.problems("".join(_link(path, target) for path, target in links)) == []


# -- Results files of the wrong shape (crash, hang) --------------------------------------

GOLDEN = Path(__file__).parent / "data/golden/sim/compare-tiny-repair.json"


def _valid() -> dict[str, Any]:
    """A real charter-sim/1 document (a recorded comparison, with its timings)."""
    from charter.simulator.records import Environment, Timings

    doc: dict[str, Any] = json.loads(GOLDEN.read_text())
    timings = Timings(runs=(), summary=results.timing_summary(()))
    doc["timings"] = timings.as_json()
    doc["environment"] = Environment(sandbox="local", isolates=False, notice="").as_json()
    return doc


def test_a_valid_document_loads_and_renders(tmp_path: Path) -> None:
    file = tmp_path / "results.json"
    file.write_text(json.dumps(_valid()))
    assert render(results.load(file)).startswith("<!DOCTYPE html>")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=15,
)
TOP = st.sampled_from(["runs", "summary", "comparison", "timings", "config", "version", "x"])


@FUZZ_BOUNDED
@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(TOP, JSON, max_size=3))
def test_any_damage_to_a_document_is_an_error_naming_the_file(
    tmp_path_factory: Any, damage: dict[str, Any]
) -> None:
    file = tmp_path_factory.mktemp("r") / "results.json"
    file.write_text(json.dumps({**_valid(), **damage}))
    try:
        doc = results.load(file)
    except CharterError as exc:
        assert str(exc).startswith(f"{file}: not a valid charter-sim/1 document: ")
    else:
        render(doc)


def _damaged(change: Any) -> dict[str, Any]:
    doc = _valid()
    change(doc)
    return doc


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(runs=None), "runs: "),
        (lambda d: d.update(runs=[1]), "runs.0: "),
        (lambda d: d["runs"][0].update(set=3), "runs.0.set: "),
        (lambda d: d["runs"][0].pop("drift"), "runs.0.drift: Field required"),
        (lambda d: d["runs"][0]["drift"][0].update(iteration=10**12), "runs.0: iteration"),
        (lambda d: d["runs"][0]["tasks"][0].update(iteration=-1), "runs.0: iteration -1 is not"),
        (lambda d: d["runs"][0]["tasks"][0].update(iteration="x"), "runs.0.tasks.0.iteration"),
        (lambda d: d["summary"]["by_set"].pop("baseline"), "runs.0.set: 'baseline' has no entry"),
        (lambda d: d.update(summary=[]), "summary: "),
        (lambda d: d["comparison"].pop("b"), "comparison.b: Field required"),
        (lambda d: d["timings"]["summary"].update(tries="x"), "timings.summary.tries: "),
    ],
)
def test_results_of_the_wrong_shape_name_the_place(tmp_path: Path, change: Any, where: str) -> None:
    file = tmp_path / "results.json"
    file.write_text(json.dumps(_damaged(change)))
    with pytest.raises(CharterError) as caught:
        results.load(file)
    assert str(caught.value).startswith(f"{file}: not a valid charter-sim/1 document: {where}")
    assert str(caught.value).endswith("write it again with charter sim run or compare")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a JSON results document"),
        (b"\xff\xfe", "not a JSON results document"),
        (b"[]", "not charter sim results (schema None"),
        (b'{"schema": "charter-sim/2"}', "not charter sim results (schema 'charter-sim/2'"),
        (b"NaN", "not charter sim results (schema None"),
        (b"[" * 100_000 + b"]" * 100_000, "not a JSON results document"),
    ],
)
def test_files_that_are_not_results_are_errors(
    tmp_path: Path, content: bytes, message: str
) -> None:
    file = tmp_path / "results.json"
    file.write_bytes(content)
    code, _, err = _sim("report", str(file), "--html", str(tmp_path / "r.html"))
    assert code == 2
    assert f"{file}: {message}" in err
    assert not (tmp_path / "r.html").exists()


def _sim(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(["sim", *args])
        except SystemExit as exc:  # argparse's usage errors
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


# -- Options out of range (silent) -------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--max-tries", "-1", "argument --max-tries: -1 is below the minimum of 1"),
        ("--max-tries", "0", "argument --max-tries: 0 is below the minimum of 1"),
        ("--max-tries", "x", "argument --max-tries: 'x' is not a whole number"),
        ("--epochs", "0", "argument --epochs: 0 is below the minimum of 1"),
        ("--jobs", "-2", "argument --jobs: -2 is below the minimum of 1"),
        ("--iterations", "0", "argument --iterations: 0 is below the minimum of 1"),
        ("--timeout", "0", "argument --timeout: 0 must be a positive, finite number"),
        ("--timeout", "inf", "argument --timeout: inf must be a positive, finite number"),
        ("--timeout", "nan", "argument --timeout: nan must be a positive, finite number"),
        ("--cpus", "-1", "argument --cpus: -1 must be a positive, finite number"),
        ("--pids-limit", "0", "argument --pids-limit: 0 is below the minimum of 1"),
        ("--p-repair", "1.5", "argument --p-repair: 1.5: a probability is between 0 and 1"),
        ("--p-repair", "-0.1", "argument --p-repair: -0.1: a probability is between 0 and 1"),
        ("--p-bypass", "nan", "argument --p-bypass: nan: a probability is between 0 and 1"),
    ],
)
def test_options_out_of_range_are_refused(
    tmp_path: Path, option: str, value: str, message: str
) -> None:
    code, _, err = _sim("run", str(tmp_path), option, value, "--out", str(tmp_path / "o"))
    assert code == 2, err
    assert message in err
    assert not (tmp_path / "o").exists()


# -- The symlink check agrees with the filesystem (property) ------------------------------

NAME = st.sampled_from(["a", "b", "a/b", "c/d", "a/c"])
TARGET = st.lists(st.sampled_from(["..", ".", "a", "b", "c", "d", "x"]), min_size=1, max_size=4)


@FUZZ_BOUNDED
@settings(max_examples=100, deadline=None)
@given(st.dictionaries(NAME, TARGET.map("/".join), min_size=1, max_size=4))
def test_the_symlink_check_agrees_with_the_real_filesystem(
    tmp_path_factory: Any, links: dict[str, str]
) -> None:
    """Each link the check accepts resolves inside the tree on a real filesystem."""
    import os

    if any(other.startswith(name + "/") for name in links for other in links):
        return  # a path cannot be both a link and a folder of another link
    top = tmp_path_factory.mktemp("fs")
    tree = top / "repo"
    tree.mkdir()
    for name, target in links.items():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, tree / name)
    flagged = {
        text.split("'")[1]
        for _, text in patches.problems("".join(_link(n, t) for n, t in links.items()))
    }
    real_tree = os.path.realpath(tree)
    for name in links:
        resolved = os.path.realpath(tree / name)
        inside = resolved == real_tree or resolved.startswith(real_tree + os.sep)
        looping = _loops(tree / name)
        if name not in flagged:
            assert inside and not looping, f"{name} -> {links[name]} escapes to {resolved}"


def _loops(path: Path) -> bool:
    try:
        path.resolve(strict=False)
        return False
    except RuntimeError:  # "Symlink loop" on Python < 3.13
        return True


RECORD = st.fixed_dictionaries(
    {},
    optional={
        "instance_id": st.text(max_size=8) | st.integers(),
        "model_patch": st.sampled_from(["", "diff --git a/x b/x\n", "--- a/../x\n+++ b/x\n"])
        | st.text(max_size=30),
        "model_name_or_path": st.text(max_size=5) | st.none(),
    },
)
LINE = st.one_of(RECORD.map(json.dumps), JSON.map(json.dumps), st.text(max_size=20))


@FUZZ_BOUNDED
@settings(max_examples=150, deadline=None)
@given(st.lists(LINE, max_size=5))
def test_any_predictions_file_imports_or_names_the_line(
    tmp_path_factory: Any, lines: list[str]
) -> None:
    from charter.simulator.imports import swebench

    file = tmp_path_factory.mktemp("p") / "predictions.jsonl"
    file.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    try:
        found, _ = swebench.read(file)
    except CharterError as exc:
        assert str(exc).startswith((f"{file}", "invalid predictions:\n  " + str(file)))
    else:
        assert all(p.patch.strip() and p.line >= 1 for p in found)
