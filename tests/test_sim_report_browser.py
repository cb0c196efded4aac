"""The HTML report in a real browser: headless Chromium loads it and draws the charts.

Chromium comes from Debian (`.ci/run` installs it). In CI a missing browser fails the
test; on a laptop without one it is skipped, saying why.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support.simkit import tiny

from charter.hooks import cli
from charter.simulator.report.charts import line_chart
from charter.simulator.report.html import CSS

pytestmark = pytest.mark.sim


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    message = "no headless Chromium (Debian: apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must have it")
    pytest.skip(message)


def browse(chromium: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_report_loads_in_chromium_with_its_charts(tmp_path: Path, chromium: str) -> None:
    page = tmp_path / "report.html"
    assert cli.main(["sim", "compare", "--sets", "baseline", "strict", str(tiny(tmp_path)),
                     "--out", str(tmp_path / "out"), "--html", str(page)]) == 0  # fmt: skip

    dom = browse(chromium, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "<svg" in dom.stdout  # the drift chart, as the browser parsed it
    assert 'data-set="baseline"' in dom.stdout and 'data-set="strict"' in dom.stdout
    assert "Per decision" in dom.stdout and "Per-task outcomes" in dom.stdout
    # The answer comes first: the headline, benefit and cost side by side, the rules
    # that blocked; the evidence after it; the raw summary last.
    where = [
        dom.stdout.index(marker)
        for marker in ('class="headline"', '<table class="benefit"', '<table class="cost"',
                       "<h2>Per rule</h2>", "<h2>A/B:", 'id="drift"', "Per-task outcomes",
                       "Summary per constraint set")
    ]  # fmt: skip
    assert where == sorted(where)
    # Colour follows the sign of good and bad: strict catches more (green), adds a
    # false block (red).
    assert 'class="n better" data-rate="caught_violations"' in dom.stdout
    assert 'class="n worse" data-rate="false_blocks"' in dom.stdout

    shot = tmp_path / "report.png"
    taken = browse(chromium, f"--screenshot={shot}", "--window-size=1200,900", page.as_uri())
    assert taken.returncode == 0, taken.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000


# Chromium runs this after the page is drawn: it marks each chart's text that does not
# fit inside its chart (the browser's own measure of the rendered font).
MEASURE = """<script>
for (const svg of document.querySelectorAll("svg.chart")) {
  const box = svg.getBoundingClientRect();
  for (const text of svg.querySelectorAll("text")) {
    const r = text.getBoundingClientRect();
    const inside = r.left >= box.left - 0.5 && r.right <= box.right + 0.5
      && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
    if (!inside) text.setAttribute("data-clipped", "");
  }
}
</script>"""


def test_every_legend_label_is_drawn_inside_its_chart(tmp_path: Path, chromium: str) -> None:
    names = ["baseline", "baseline+learning", "strict", "a-much-longer-set-name+learning"]
    series = {name: [float(n), n + 1.0, n + 3.0] for n, name in enumerate(names)}
    charts = [line_chart("tiny: violations by the oracle", dict([item])) for item in series.items()]
    charts.append(line_chart("tiny: every set at once", series))
    page = tmp_path / "charts.html"
    page.write_text(f"<!doctype html><style>{CSS}</style><body>{''.join(charts)}{MEASURE}</body>")

    dom = browse(chromium, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count("<svg") == len(names) + 1
    for name in names:  # each name is drawn: in its own chart and in the shared one
        assert dom.stdout.count(f">{name}</text>") == 2
    clipped = re.findall(r"<text[^>]*data-clipped[^>]*>([^<]*)</text>", dom.stdout)
    assert clipped == []
