"""Independent mode with a base commit per task (what ``import swebench`` and
``import journal`` write): every task runs to its end under every set."""

from __future__ import annotations

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
    author_git,
    diff_of,
    write,
)

from charter.hooks.errors import CharterError
from charter.simulator.imports import swebench
from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.sandbox.local import LocalBackend

pytestmark = pytest.mark.sim


def _setup(root: Path) -> tuple[Path, Path, Path]:
    """A repository of two commits, predictions on either, and an oracle folder."""
    repo = root / "repo"
    write(repo, {"pyproject.toml": PYPROJECT, **FILES, "docs/decisions/0001-ban.md": BAN})
    author_git(repo, "init", "-q", "-b", "main")
    author_git(repo, "add", "-A")
    author_git(repo, "commit", "-qm", "first")
    first = author_git(repo, "rev-parse", "HEAD")
    eval_patch = diff_of(repo, {"src/app/service.py": SERVICE_EVAL})
    db_patch = diff_of(repo, {"src/app/api.py": API_WITH_DB})
    # The second base edits the file the first (rejected) try changes: checking it out
    # over that try's staged change fails unless the tree is cleaned first.
    service = FILES["src/app/service.py"]
    write(repo, {"src/app/extra.py": "def more():\n    return 3\n",
                 "src/app/service.py": "# rows of the db\n" + service})  # fmt: skip
    author_git(repo, "add", "-A")
    author_git(repo, "commit", "-qm", "second")
    second = author_git(repo, "rev-parse", "HEAD")
    extra_patch = diff_of(repo, {"src/app/extra.py": "def more():\n    return 4\n"})
    rows = [
        ("t__1", first, eval_patch),  # blocked by the repository's own ban
        ("t__2", second, extra_patch),  # a new base right after a rejection
        ("t__3", first, db_patch),  # lands, but the oracle flags it
    ]
    predictions = root / "preds.jsonl"
    predictions.write_text(
        "".join(
            json.dumps({"instance_id": i, "model_name_or_path": "m", "model_patch": p,
                        "base_commit": b}) + "\n"
            for i, b, p in rows
        )
    )  # fmt: skip
    oracle = root / "oracle"
    write(oracle, {"0001-ban.md": BAN, "0002-layers.md": ORACLE})
    return repo, predictions, oracle


def test_per_task_bases_run_every_task_after_a_rejection(tmp_path: Path) -> None:
    repo, predictions, oracle = _setup(tmp_path)
    scenario, _ = swebench.import_predictions(predictions, repo, tmp_path / "s", oracle)
    assert [t.base_rev is not None for t in scenario.tasks] == [True, True, True]
    outcomes = {}
    for name in ("none", "repo"):
        run = run_unit(scenario, name, 0, RunConfig(), LocalBackend()).run
        assert run.infra_errors == ()
        outcomes[name] = [t.outcome for t in run.tasks]
        escaped = [t.id for t in run.tasks for a in t.attempts if a.escaped]
        assert escaped == (["t__1", "t__3"] if name == "none" else ["t__3"])
    assert outcomes == {
        "none": ["landed", "landed", "landed"],
        "repo": ["abandoned", "landed", "landed"],
    }


def test_import_swebench_cli_relative_out_and_an_oracle_asked_for(tmp_path: Path) -> None:
    repo, predictions, _ = _setup(tmp_path)
    argv = ["charter", "sim", "import", "swebench", str(predictions), "--repo", str(repo)]
    missing = subprocess.run([*argv, "--out", "s"], cwd=tmp_path, capture_output=True, text=True)
    assert missing.returncode == 2 and "--oracle" in missing.stderr
    assert not (tmp_path / "s").exists()

    circular = subprocess.run(
        [*argv, "--out", "s", "--oracle", str(repo / "docs/decisions")],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert circular.returncode != 0 and "a copy of the repository's decisions" in circular.stderr
    assert not (tmp_path / "s").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]

    done = subprocess.run(
        [*argv, "--out", "s", "--oracle", "oracle"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "s" / "repo.bundle").is_file()
    assert sorted(p.name for p in (tmp_path / "s/constraints/oracle").iterdir()) == [
        "0001-ban.md",
        "0002-layers.md",
    ]


def test_an_oracle_folder_without_records_is_refused(tmp_path: Path) -> None:
    repo, predictions, _ = _setup(tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(CharterError, match="--oracle must name a folder of decision records"):
        swebench.import_predictions(predictions, repo, tmp_path / "s", tmp_path / "empty")
    assert not (tmp_path / "s").exists()
