"""``charter sim import git``: a real repository's history as a chained scenario."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.simkit import (
    BAN,
    FILES,
    ORACLE,
    PYPROJECT,
    SERVICE_EVAL,
    author_git,
    commit_files,
    tiny_history,
    write,
)

from charter.hooks import cli
from charter.hooks.errors import CharterError
from charter.simulator import scenario as scenarios
from charter.simulator.imports import history
from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.sandbox.local import LocalBackend

pytestmark = pytest.mark.sim

AGENT = "\n\nCo-authored-by: Claude <noreply@anthropic.com>"


def _history(root: Path) -> tuple[Path, str]:
    """A base, a human commit, an agent's eval, a rename with a binary file, a merge."""
    repo = root / "repo"
    start = tiny_history(repo)
    commit_files(repo, {"src/app/db.py": "def query():\n    return [1, 2, 3]\n"}, "more rows")
    commit_files(repo, {"src/app/service.py": SERVICE_EVAL}, "rows through eval" + AGENT)
    author_git(repo, "mv", "src/app/api.py", "src/app/http.py")
    (repo / "logo.png").write_bytes(bytes(range(256)) * 4)
    commit_files(repo, {}, "rename the api; add a logo")
    author_git(repo, "checkout", "-qb", "side")
    commit_files(repo, {"src/app/extra.py": "def more():\n    return 4\n"}, "extra" + AGENT)
    author_git(repo, "checkout", "-q", "main")
    author_git(repo, "merge", "-q", "--no-ff", "-m", "merge side", "side")
    return repo, start


def _oracle(root: Path) -> Path:
    # The history renames app.api away: the oracle may name it after that.
    layers = ORACLE.replace("optional: [app.api_v2]", "optional: [app.api, app.api_v2]")
    write(root / "oracle", {"0001-ban.md": BAN, "0002-layers.md": layers})
    return root / "oracle"


def test_first_parent_history_replays_with_agents_judged_and_the_rest_as_context(
    tmp_path: Path,
) -> None:
    repo, start = _history(tmp_path)
    scenario, divergences = history.import_history(
        repo, f"{start}..main", tmp_path / "s", _oracle(tmp_path), agents=history.AGENT_PATTERNS
    )
    assert divergences == []
    assert scenario.mode == "chained" and sorted(scenario.constraint_sets) == ["none", "repo"]
    subjects = [t.prompt.splitlines()[0] for t in scenario.tasks]
    assert subjects == [
        "more rows",
        "rows through eval",
        "rename the api; add a logo",
        "merge side",
    ]
    assert [t.context for t in scenario.tasks] == [True, False, True, True]

    (scenario.folder / "constraints/repo/0001-ban.md").write_text(BAN)
    for name, outcome in (("none", "landed"), ("repo", "abandoned")):
        run = run_unit(scenario, name, 0, RunConfig(), LocalBackend()).run
        assert run.infra_errors == ()
        assert [t.outcome for t in run.tasks] == ["context", outcome, "context", "context"]
        assert run.metrics["tasks"] == 1  # context lands unjudged: no task of the A/B
        assert run.metrics["escaped"] == (1 if name == "none" else 0)
    merged = (scenario.folder / scenario.tasks[-1].attempts[0].patch_rel).read_text()
    assert "src/app/extra.py" in merged  # under --first-parent a merge is its net change


def test_all_commits_leave_merges_out_with_a_reason(tmp_path: Path) -> None:
    repo, start = _history(tmp_path)
    scenario, divergences = history.import_history(
        repo, f"{start}..main", tmp_path / "s", _oracle(tmp_path), first_parent=False
    )
    assert len(scenario.tasks) == 4 and not any(t.context for t in scenario.tasks)
    assert len(divergences) == 1 and "merge left out" in divergences[0]
    rename = (scenario.folder / scenario.tasks[2].attempts[0].patch_rel).read_text()
    assert "rename from src/app/api.py" in rename and "GIT binary patch" in rename
    assert "merge left out" in (scenario.folder / "README.md").read_text()


def test_a_bad_range_or_oracle_says_so_and_writes_nothing(tmp_path: Path) -> None:
    repo, start = _history(tmp_path)
    with pytest.raises(CharterError, match=r"give two revisions, A\.\.B"):
        history.import_history(repo, start, tmp_path / "s", _oracle(tmp_path))
    with pytest.raises(CharterError, match="--oracle must name a folder"):
        history.import_history(repo, f"{start}..main", tmp_path / "s", tmp_path / "nowhere")
    assert not (tmp_path / "s").exists()


TEST_ROWS = "from app import db\n\n\ndef test_rows():\n    assert db.query() == [1, 2]\n"
TEST_EXTRA = "from app import extra\n\n\ndef test_more():\n    assert extra.more() == 4\n"
RUNNER = "PYTHONPATH=src python3 -m pytest -q -p no:cacheprovider"


def test_success_from_the_tests_a_commit_touched_and_for_the_rest(tmp_path: Path) -> None:
    """``--success-from-tests``: a commit that changed tests is judged by them; the others
    by ``--success``; the replay runs them on what landed (issue 17, task success)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    author_git(repo, "init", "-q", "-b", "main")
    files = {"pyproject.toml": PYPROJECT, **FILES, "tests/test_rows.py": TEST_ROWS}
    start = commit_files(repo, files, "base")
    extra = {"src/app/extra.py": "def more():\n    return 4\n", "tests/test_extra.py": TEST_EXTRA}
    commit_files(repo, extra, "more, with its test")
    commit_files(repo, {"src/app/db.py": "def query():\n    return [1, 2, 3]\n"}, "more rows")
    out = tmp_path / "s"
    code = cli.main(
        [
            "sim", "import", "git", str(repo), "--range", f"{start}..main", "--oracle",
            str(_oracle(tmp_path)), "--out", str(out), "--success", f"{RUNNER} tests",
            "--success-from-tests", RUNNER, "--success-timeout", "120",
        ]
    )  # fmt: skip
    assert code == 0
    loaded = scenarios.load(out)
    own, rest = loaded.tasks
    assert own.success is not None and own.success.command == f"{RUNNER} tests/test_extra.py"
    assert rest.success is not None and rest.success.command == f"{RUNNER} tests"
    assert own.success.timeout == 120.0
    assert (
        "1 of 2 judged tasks run the tests their commit changed" in (out / "README.md").read_text()
    )

    run = run_unit(loaded, "none", 0, RunConfig(), LocalBackend()).run
    assert run.infra_errors == ()
    # "more rows" lands, but the project's own test of the rows now fails: not solved.
    assert [(t.outcome, t.solved) for t in run.tasks] == [("landed", True), ("landed", False)]
    assert run.metrics["landed"] == 2 and run.metrics["solved"] == 1
