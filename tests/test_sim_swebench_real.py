"""Real SWE-bench predictions with per-task bases: ``import swebench`` + ``sim compare``.

The data (tests/data/swebench-requests/README.md): five SWE-bench Lite instances of
psf/requests, each at its own base commit (2014-2016), predicted by Moatless Tools
(GPT-4o) and solved by the upstream fix ("gold"), on a git bundle of requests' history.
The expectations below are read off the patches by hand, not off a run:

- moatless on requests-2674 edits ``requests/packages/urllib3/connectionpool.py`` and
  ``response.py``: vendored code, RQ-0001 (protected) in the oracle and in ``strict``.
  A true block under ``strict``, two escaped violations under ``none``.
- gold on requests-2148 adds ``except socket.error`` to ``requests/models.py``: RQ-0002
  of ``strict`` bans new uses of ``socket.error``; the oracle does not. A false block.
- moatless on requests-2148 rewrites an existing ``except socket.error`` line: not a new
  use, so it lands under both sets.
- every other prediction touches neither and lands under both sets.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.sim

DATA = Path(__file__).parent / "data" / "swebench-requests"
MOATLESS = "20240609_moatless_gpt4o"


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    root = tmp_path_factory.mktemp("swebench-real")
    clone = _run(["git", "clone", "-q", str(DATA / "requests.bundle"), "requests"], root)
    assert clone.returncode == 0, clone.stderr
    imported = _run(
        ["charter", "sim", "import", "swebench", str(DATA / "predictions.jsonl"),
         "--repo", "requests", "--instances", str(DATA / "instances.jsonl"),
         "--oracle", str(DATA / "oracle"), "--set", f"strict={DATA / 'strict'}",
         "--out", "scenario"],
        root,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert "(10 tasks)" in imported.stdout
    compare = _run(
        ["charter", "sim", "compare", "--sets", "none", "strict", "--sandbox", "local",
         "--out", "results", "scenario"],
        root,
    )  # fmt: skip
    assert compare.returncode == 0, compare.stdout + compare.stderr
    data = json.loads((root / "results" / "results.json").read_text())
    return {run["set"]: run for run in data["runs"]}


def _tasks(run: dict[str, object]) -> dict[str, dict[str, object]]:
    tasks = run["tasks"]
    assert isinstance(tasks, list)
    return {t["id"]: t for t in tasks}


def test_every_task_of_real_predictions_runs_to_its_end_at_its_own_base(
    compared: dict[str, dict[str, object]],
) -> None:
    instances = [json.loads(line) for line in (DATA / "instances.jsonl").read_text().splitlines()]
    assert len({i["base_commit"] for i in instances}) == 5  # five bases, one per instance
    expected = {f"{i['instance_id']}@{model}" for i in instances for model in (MOATLESS, "gold")}
    for name in ("none", "strict"):
        run = compared[name]
        assert run["infra_errors"] == []
        tasks = _tasks(run)
        assert set(tasks) == expected
        for task in tasks.values():
            assert task["outcome"] in ("landed", "abandoned"), task
            assert all(a["applied"] != "diverged" for a in task["attempts"]), task


def test_the_labels_follow_the_patches(compared: dict[str, dict[str, object]]) -> None:
    none, strict = _tasks(compared["none"]), _tasks(compared["strict"])
    vendored = f"psf__requests-2674@{MOATLESS}"
    flagged = [(v["constraint"], v["path"]) for v in none[vendored]["attempts"][0]["oracle"]]
    assert flagged == [
        ("RQ-0001/1", "requests/packages/urllib3/connectionpool.py"),
        ("RQ-0001/1", "requests/packages/urllib3/response.py"),
    ]
    assert none[vendored]["outcome"] == "landed" and none[vendored]["attempts"][0]["escaped"]
    blocked = strict[vendored]["attempts"][0]
    assert strict[vendored]["outcome"] == "abandoned"
    assert blocked["blocked"] and not blocked["false_block"]

    gold = strict["psf__requests-2148@gold"]["attempts"][0]
    assert gold["false_block"] and gold["oracle"] == []
    assert [(v["constraint"], v["path"]) for v in gold["blocked_by"]] == [
        ("RQ-0002/1", "requests/models.py")
    ]
    untouched = set(strict) - {vendored, "psf__requests-2148@gold"}
    assert {strict[t]["outcome"] for t in untouched} == {"landed"}
    assert {none[t]["outcome"] for t in none} == {"landed"}
    assert [t for t in none if none[t]["attempts"][0]["oracle"]] == [vendored]
