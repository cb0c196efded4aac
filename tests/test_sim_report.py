"""`charter sim compare` and `charter sim report`: results and a self-contained HTML page."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest
from support.simkit import tiny

from charter.hooks import cli
from charter.simulator import results

pytestmark = pytest.mark.sim


def _sim(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["sim", *(str(a) for a in args)])
    return code, out.getvalue(), err.getvalue()


def test_compare_writes_results_and_a_self_contained_report(tmp_path: Path) -> None:
    scenario = tiny(tmp_path)
    html_file = tmp_path / "report.html"
    code, out, err = _sim(
        "compare", "--sets", "baseline", "strict", scenario,
        "--out", tmp_path / "out", "--html", html_file,
    )  # fmt: skip
    assert code == 0, err
    assert "B - A (strict - baseline)" in out and f"report: {html_file}" in out
    doc = results.load(tmp_path / "out")
    assert doc.comparison is not None
    deltas = doc.comparison.deltas
    assert deltas["escaped"].delta == -2 and deltas["caught_violations"].delta == 2
    assert doc.comparison.pairs == (("tiny", 0),)
    timing = doc.timings.summary
    assert timing.tries == 9 and timing.hook_ms.median > 0

    page = html_file.read_text()
    assert not re.search(r"https?://|<script|<link|src=", page)
    # One drift chart per measure that moved, each in its own unit; the oracle's first.
    assert page.count("<svg") == page.count('class="chart-box"') >= 2
    assert '<div class="chart-box" data-measure="violations">' in page
    assert "Benefit" in page and "Cost" in page and 'data-rate="false_blocks"' in page
    assert '<polyline class="series" data-set="baseline"' in page
    assert '<polyline class="series" data-set="strict"' in page
    assert "<h2>Per decision</h2>" in page and "<th>ADR-1</th>" in page
    assert "<h2>Per-task outcomes</h2>" in page and "<th>T003</th>" in page
    assert "A/B: baseline → strict" in page and 'class="n better"' in page

    again = tmp_path / "again.html"
    code, out, _ = _sim("report", tmp_path / "out" / "results.json", "--html", again)
    assert code == 0 and again.read_text() == page


def test_report_rejects_what_is_not_results(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"schema": "charter-check/1"}')
    code, _, err = _sim("report", bad, "--html", tmp_path / "x.html")
    assert code == 2 and "not charter sim results (schema 'charter-check/1'" in err


def test_report_names_the_field_a_results_file_lacks(tmp_path: Path) -> None:
    bad = tmp_path / "results.json"
    bad.write_text('{"schema": "charter-sim/1", "version": "0", "runs": []}')
    code, _, err = _sim("report", bad, "--html", tmp_path / "x.html")
    assert code == 2 and f"{bad}: not a valid charter-sim/1 document: config: Field required" in err
    assert not (tmp_path / "x.html").exists()


def test_leave_one_out_gives_each_rule_its_marginal_value(tmp_path: Path) -> None:
    # strict = the layering rule (ADR-1, what the oracle holds) + the eval ban (BAN-1,
    # which the oracle does not hold). Without ADR-1 the two layer violations escape;
    # without BAN-1 T002's eval try lands at once: BAN-1 alone causes one false block
    # and one retry, and catches nothing.
    html_file = tmp_path / "report.html"
    code, out, err = _sim(
        "compare", "--sets", "baseline", "strict", tiny(tmp_path), "--leave-one-out",
        "--out", tmp_path / "out", "--html", html_file,
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads((tmp_path / "out" / "leave-one-out.json").read_text())
    rows = {r["rule"]: r for r in doc["rules"]}
    assert sorted(rows) == ["ADR-1", "BAN-1"]
    assert rows["ADR-1"]["caught_violations"] == 2 and rows["ADR-1"]["false_blocks"] == 0
    ban = rows["BAN-1"]
    assert (ban["caught_violations"], ban["false_blocks"], ban["retries"]) == (0, 1, 1)
    assert "BAN-1" in out and "leave one out" in out
    assert "Each rule's marginal value (leave one out)" in html_file.read_text()
