"""Scenarios imported from an attempt journal and from SWE-bench style predictions."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from support.simkit import (
    API_WITH_DB,
    BAN,
    FILES,
    ORACLE,
    PYPROJECT,
    SERVICE_EVAL,
    SERVICE_OK,
    author_git,
    diff_of,
    write,
)

from charter.hooks.errors import CharterError
from charter.simulator import validate
from charter.simulator.imports import journal, swebench
from charter.simulator.sandbox.local import LocalBackend

pytestmark = pytest.mark.sim


def _repo(root: Path) -> Path:
    write(root, {"pyproject.toml": PYPROJECT, **FILES, "docs/decisions/0001-ban.md": BAN})
    author_git(root, "init", "-q", "-b", "main")
    author_git(root, "add", "-A")
    author_git(root, "commit", "-qm", "base")
    return root


class Journal:
    """Writes charter-journal/1 records as the hooks do (docs/journal.md)."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.folder = repo / ".git" / "charter" / "journal"
        (self.folder / "blobs").mkdir(parents=True)
        self.n = 0

    def attempt(self, files: dict[str, str], verdict: str, message: str | None = None) -> None:
        write(self.repo, files)
        author_git(self.repo, "add", "-A")
        diff = subprocess.run(
            ["git", "diff", "--cached", "--binary"], cwd=self.repo, capture_output=True
        ).stdout
        blob = hashlib.sha256(diff).hexdigest()
        (self.folder / "blobs" / blob).write_bytes(diff)
        head = author_git(self.repo, "rev-parse", "HEAD")
        self.n += 1
        base = {
            "schema": "charter-journal/1",
            "id": f"20261121T10150{self.n}.000000Z-0000000{self.n}",
            "time": f"2026-11-21T10:15:0{self.n}+00:00",
            "head": head,
            "branch": "main",
            "diff": blob,
            "files": sorted(files),
            "verdict": verdict,
            "exit_code": 0 if verdict == "accepted" else 1,
            "latency_ms": 80.0,
            "violations": [],
            "version": "0.1.0",
        }
        self.write({**base, "stage": "pre-commit"})
        if verdict == "accepted":
            self.write({**base, "stage": "commit-msg", "message": message, "violations": []})
            author_git(self.repo, "commit", "-qm", message or "x")
        else:
            author_git(self.repo, "reset", "-q", "--hard", "HEAD")

    def write(self, record: object) -> None:
        with (self.folder / "attempts.jsonl").open("a") as handle:
            handle.write((record if isinstance(record, str) else json.dumps(record)) + "\n")


def test_journal_import_replays_to_the_recorded_outcomes(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    log = Journal(repo)
    log.attempt({"src/app/service.py": SERVICE_EVAL}, "rejected")
    log.write('{"schema": "charter-journal/1", "stage": "pre-co')  # a torn line
    log.attempt({"src/app/service.py": SERVICE_OK}, "accepted", "Return a list\n\nBody.")
    log.attempt({"src/app/api.py": API_WITH_DB}, "accepted", "API uses db")

    oracle = tmp_path / "oracle"
    write(oracle, {"0001-ban.md": BAN, "0002-layers.md": ORACLE})
    scenario, warnings = journal.import_journal(repo, tmp_path / "scenario", oracle, "from-journal")
    assert len(warnings) == 1 and "attempts.jsonl:2: not a JSON line" in warnings[0]
    assert scenario.mode == "chained" and scenario.recorded_with == "recorded"
    assert [(t.id, t.prompt) for t in scenario.tasks] == [
        ("T001", "Return a list"),
        ("T002", "API uses db"),
    ]
    assert [a.outcome for a in scenario.tasks[0].attempts] == ["rejected", "accepted"]
    assert (tmp_path / "scenario/constraints/recorded/0001-ban.md").read_text() == BAN
    assert (tmp_path / "scenario/constraints/oracle/0002-layers.md").read_text() == ORACLE
    assert (tmp_path / "scenario/repo/src/app/service.py").read_text() == FILES[
        "src/app/service.py"
    ]
    problems, run = validate.check(scenario, LocalBackend())
    assert problems == []
    assert [t.outcome for t in run.tasks] == ["landed", "landed"]

    with pytest.raises(CharterError, match="exists and is not empty"):
        journal.import_journal(repo, tmp_path / "scenario", oracle)


def test_journal_import_asks_for_an_oracle_and_refuses_a_copy_of_the_recorded_set(
    tmp_path: Path,
) -> None:
    repo = _repo(tmp_path / "repo")
    Journal(repo).attempt({"src/app/service.py": SERVICE_OK}, "accepted", "Return a list")
    with pytest.raises(CharterError, match="no attempt journal; record one with journal = true"):
        journal.import_journal(_repo(tmp_path / "bare"), tmp_path / "out", repo / "docs/decisions")
    with pytest.raises(CharterError, match="a copy of the set `recorded` under test"):
        journal.import_journal(repo, tmp_path / "out", repo / "docs/decisions")
    assert not (tmp_path / "out").exists()
    argv = ["charter", "sim", "import", "journal", "--repo", str(repo), "--out", "s"]
    missing = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True)
    assert missing.returncode == 2 and "--oracle" in missing.stderr


def test_swebench_predictions_become_an_independent_scenario(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "repo")
    predictions = tmp_path / "preds.jsonl"
    rows = [
        {"instance_id": "tiny__1", "model_name_or_path": "m1",
         "model_patch": diff_of(repo, {"src/app/service.py": SERVICE_EVAL})},
        {"instance_id": "tiny__2", "model_name_or_path": "m1",
         "model_patch": diff_of(repo, {"src/app/api.py": API_WITH_DB})},
        {"instance_id": "tiny__3", "model_name_or_path": "m1", "model_patch": ""},
    ]  # fmt: skip
    predictions.write_text("".join(json.dumps(r) + "\n" for r in rows))
    oracle = tmp_path / "oracle"
    write(oracle, {"0001-ban.md": BAN, "0002-layers.md": ORACLE})
    scenario, warnings = swebench.import_predictions(predictions, repo, tmp_path / "s", oracle)
    assert warnings == [f"{predictions}:3: tiny__3: empty model_patch; skipped"]
    assert scenario.mode == "independent" and scenario.recorded_with == "none"
    assert sorted(scenario.constraint_sets) == ["none", "repo"]
    assert [t.id for t in scenario.tasks] == ["tiny__1", "tiny__2"]
    problems, run = validate.check(scenario, LocalBackend())
    assert problems == [] and run.metrics["landed"] == 2

    predictions.write_text(json.dumps({"instance_id": "x", "model_name_or_path": "m"}) + "\n")
    with pytest.raises(CharterError, match=r"preds.jsonl:1: missing or not a string: model_patch"):
        swebench.import_predictions(predictions, repo, tmp_path / "s2", oracle)
    escape = rows[0]["model_patch"].replace("a/src/app/service.py", "a/../../x", 1)
    predictions.write_text(json.dumps({**rows[0], "model_patch": escape}) + "\n")
    with pytest.raises(CharterError, match=r"preds.jsonl:1: model_patch line 1: .*leaves the"):
        swebench.import_predictions(predictions, repo, tmp_path / "s3", oracle)


def test_a_journal_whose_tasks_start_at_the_root_commit_is_not_chained(tmp_path: Path) -> None:
    from charter.simulator.imports.journal import JournalAttempt, JournalTask, _chained

    repo = tmp_path / "repo"
    repo.mkdir()
    for args in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "root"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    root = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()
    landed = JournalTask(root, attempts=[JournalAttempt(root, "blob", "accepted", "m", "t")])
    # The second task was tried at the root too: no parent to follow, so not a chain
    # (the importer used to fail with git's error on ``root^``).
    assert _chained(repo, [landed, JournalTask(root)]) is False


TEST_FIXED = "from app import db\n\n\ndef test_three_rows():\n    assert db.query() == [1, 2, 3]\n"
TEST_OLD = "from app import db\n\n\ndef test_rows():\n    assert len(db.query()) >= 2\n"


def test_swebench_success_applies_the_test_patch_and_runs_fail_to_pass(tmp_path: Path) -> None:
    """``--success-runner``: as SWE-bench's harness judges a prediction, the instance's
    test patch on what landed, then its FAIL_TO_PASS and PASS_TO_PASS tests."""
    from charter.hooks import cli
    from charter.simulator import scenario as scenarios
    from charter.simulator.replay import RunConfig, run_unit

    repo = _repo(tmp_path / "repo")
    write(repo, {"tests/test_old.py": TEST_OLD})
    author_git(repo, "add", "-A")
    author_git(repo, "commit", "-qm", "old test")
    base = author_git(repo, "rev-parse", "HEAD")
    test_patch = diff_of(repo, {"tests/test_fixed.py": TEST_FIXED})
    instance = {
        "instance_id": "tiny__9", "base_commit": base, "test_patch": test_patch,
        "FAIL_TO_PASS": json.dumps(["tests/test_fixed.py::test_three_rows"]),
        "PASS_TO_PASS": ["tests/test_old.py::test_rows"],
    }  # fmt: skip
    (tmp_path / "instances.jsonl").write_text(json.dumps(instance) + "\n")
    fix = diff_of(repo, {"src/app/db.py": "def query():\n    return [1, 2, 3]\n"})
    miss = diff_of(repo, {"src/app/db.py": "def query():\n    return [2, 1]\n"})
    rows = [
        {"instance_id": "tiny__9", "model_name_or_path": m, "model_patch": p}
        for m, p in (("fixer", fix), ("misser", miss))
    ]
    (tmp_path / "preds.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    write(tmp_path / "oracle", {"0002-layers.md": ORACLE})
    args = ["sim", "import", "swebench", str(tmp_path / "preds.jsonl"), "--repo", str(repo)]
    args += ["--oracle", str(tmp_path / "oracle"), "--out", str(tmp_path / "s")]
    runner = "PYTHONPATH=src python3 -m pytest -q -p no:cacheprovider"
    assert cli.main([*args, "--success-runner", runner]) == 2  # needs --instances
    instances = ["--instances", str(tmp_path / "instances.jsonl")]
    assert cli.main([*args, *instances, "--success-runner", runner]) == 0
    loaded = scenarios.load(tmp_path / "s")
    command = loaded.tasks[0].success.command if loaded.tasks[0].success else ""
    assert "git apply" in command and "tests/test_fixed.py::test_three_rows" in command

    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({**instance, "FAIL_TO_PASS": 5}) + "\n")
    with pytest.raises(CharterError, match=r"bad.jsonl:1: FAIL_TO_PASS: expected a list"):
        swebench.read_instances(bad)

    run = run_unit(loaded, "none", 0, RunConfig(), LocalBackend()).run
    assert run.infra_errors == ()
    solved = {t.id: (t.outcome, t.solved) for t in run.tasks}
    assert solved == {"tiny__9@fixer": ("landed", True), "tiny__9@misser": ("landed", False)}
