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
from charter.simulator.shape import Bounded, Each, problem

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


def _from_shape(shape: Any) -> st.SearchStrategy[Any]:
    """Documents of exactly ``shape`` (what the report may rely on, and nothing more)."""
    if isinstance(shape, tuple):
        return st.one_of([_from_shape(option) for option in shape])
    if isinstance(shape, Bounded):
        return st.integers(0, 30)
    if isinstance(shape, list):
        return st.lists(_from_shape(shape[0]), max_size=2)
    if isinstance(shape, Each):
        return st.dictionaries(
            st.text("abc", min_size=1, max_size=2), _from_shape(shape.shape), max_size=2
        )
    if isinstance(shape, dict):
        required = {k: _from_shape(v) for k, v in shape.items() if not k.endswith("?")}
        optional = {k[:-1]: _from_shape(v) for k, v in shape.items() if k.endswith("?")}
        return st.fixed_dictionaries(required, optional=optional)
    simple: dict[Any, st.SearchStrategy[Any]] = {
        int: st.integers(-5, 50),
        float: st.floats(-1e6, 1e6, allow_nan=False),
        str: st.text(max_size=8),
        bool: st.booleans(),
        list: st.lists(st.integers(), max_size=2),
        dict: st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
        type(None): st.none(),
    }
    return simple[shape]


@FUZZ_BOUNDED
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(_from_shape(results.SHAPE), st.data())
def test_every_document_of_the_checked_shape_renders(doc: dict[str, Any], data: Any) -> None:
    """The shape check covers everything the report reads: no KeyError gets past it."""
    doc["schema"] = results.SCHEMA
    by_set = doc["summary"]["by_set"]
    for run in doc["runs"]:  # every run's set is summarised (checked by load)
        if run["set"] not in by_set:
            by_set[run["set"]] = data.draw(_from_shape(results.SHAPE["summary"]["by_set"].shape))
    assert problem(doc, results.SHAPE) is None
    assert render(doc).startswith("<!DOCTYPE html>")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=15,
)


@FUZZ_BOUNDED
@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.sampled_from(["runs", "summary", "comparison", "timings", "x"]), JSON))
def test_any_json_is_results_or_an_error_naming_the_file(
    tmp_path_factory: Any, body: dict[str, Any]
) -> None:
    file = tmp_path_factory.mktemp("r") / "results.json"
    file.write_text(json.dumps({"schema": results.SCHEMA, **body}))
    try:
        doc = results.load(file)
    except CharterError as exc:
        assert str(exc).startswith(f"{file}: not a valid charter-sim/1 document: ")
    else:
        render(doc)


def _doc(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {"schema": results.SCHEMA, "runs": [], "summary": {"by_set": {}}}
    doc.update(changes)
    return doc


RUN = {"scenario": "s", "set": "a", "epoch": 0, "tasks": [], "drift": []}


@pytest.mark.parametrize(
    ("doc", "where"),
    [
        (_doc(runs=None), "runs: expected a list, got None"),
        (_doc(runs=[1]), "runs[0]: expected an object, got 1"),
        (_doc(runs=[{**RUN, "set": 3}]), "runs[0].set: expected a string, got 3"),
        (_doc(runs=[{k: v for k, v in RUN.items() if k != "drift"}]), "runs[0].drift: missing"),
        (
            _doc(
                runs=[{**RUN, "drift": [{"iteration": 10**12, "violations": 1, "by_decision": {}}]}]
            ),
            "runs[0].drift[0].iteration: expected a whole number from 0 to 1000000, "
            "got 1000000000000",
        ),
        (
            _doc(
                runs=[
                    {**RUN, "tasks": [{"id": "T", "iteration": -1, "outcome": "x", "attempts": []}]}
                ]
            ),
            "runs[0].tasks[0].iteration: expected a whole number from 0 to 1000000, got -1",
        ),
        (
            _doc(
                runs=[
                    {
                        **RUN,
                        "tasks": [{"id": "T", "iteration": True, "outcome": "x", "attempts": []}],
                    }
                ]
            ),
            "runs[0].tasks[0].iteration: expected a whole number from 0 to 1000000, got True",
        ),
        (_doc(summary={"by_set": {"a": {}}}), "summary.by_set.a.tasks: missing"),
        (_doc(summary=[]), "summary: expected an object, got []"),
        (_doc(runs=[RUN]), "runs[0].set: 'a' has no entry in summary.by_set"),
        (_doc(comparison={"a": "x"}), "comparison.b: missing"),
        (
            _doc(timings={"summary": {"tries": "3"}}),
            "timings.summary.tries: expected a whole number, got '3'",
        ),
    ],
)
def test_results_of_the_wrong_shape_name_the_place(
    tmp_path: Path, doc: dict[str, Any], where: str
) -> None:
    file = tmp_path / "results.json"
    file.write_text(json.dumps(doc))
    with pytest.raises(CharterError) as caught:
        results.load(file)
    assert str(caught.value) == (
        f"{file}: not a valid charter-sim/1 document: {where}; regenerate it with "
        "'charter sim run' or 'charter sim compare'"
    )


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
        assert all(isinstance(record["model_patch"], str) for _, record in found)
