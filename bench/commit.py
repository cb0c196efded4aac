"""The pause Charter adds to a whole ``git commit`` (issue 15), against no-op hooks.

Two sets of git hooks are installed by pre-commit (``pre-commit`` and ``commit-msg``
stages) into folders of their own, chosen per commit with ``git -c core.hooksPath``:

- ``charter``: Charter's hooks as a project uses them (``charter check --staged`` at
  pre-commit, ``charter commit-msg`` at commit-msg; each at its own stage only, as
  ``.pre-commit-hooks.yaml`` declares them: a hook without ``stages`` runs at every stage
  installed, so the check would run again at commit-msg);
- ``resident``: the same hooks with ``--resident``, judged by their warm server;
- ``noop``: the same configuration with ``true`` as both entries, so pre-commit's own
  start-up, staging checks and stash handling cost the same on both sides.

Each timed commit stages new content in one file, commits, and is undone with ``git
reset --soft HEAD~1``; a ``git commit --no-verify`` of the same kind is timed next to it
and subtracted, so the row is what the hooks add to a commit.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

CONFIG = """\
default_install_hook_types: [pre-commit, commit-msg]
repos:
  - repo: local
    hooks:
      - id: check
        name: check
        entry: '{check}'
        language: system
        pass_filenames: false
        always_run: true
        stages: [pre-commit]
      - id: commit-msg
        name: commit-msg
        entry: '{commit_msg}'
        language: system
        stages: [commit-msg]
"""


def install(root: Path, charter: str, pre_commit: str, env: dict[str, str]) -> dict[str, Path]:
    """The hook sets; returns side -> hooks folder (configs committed, as pre-commit wants).
    ``resident`` is Charter's hooks with ``--resident`` (their warm server)."""
    entries = {
        "charter": (f"{charter} check --staged", f"{charter} commit-msg"),
        "resident": (f"{charter} check --staged --resident", f"{charter} commit-msg --resident"),
        "noop": ("true", "true"),
    }
    folders = {}
    for side, (check, commit_msg) in entries.items():
        config = root / f".bench-precommit-{side}.yaml"
        config.write_text(CONFIG.format(check=check, commit_msg=commit_msg), encoding="utf-8")
    _git(root, env, "add", *(f".bench-precommit-{side}.yaml" for side in entries))
    _git(root, env, "commit", "-q", "--no-verify", "-m", "bench: hook configurations")
    for side in entries:
        hooks = root / ".git" / "hooks"
        for name in ("pre-commit", "commit-msg"):
            (hooks / name).unlink(missing_ok=True)
        subprocess.run(
            [pre_commit, "install", "-c", f".bench-precommit-{side}.yaml",
             "-t", "pre-commit", "-t", "commit-msg"],
            cwd=root, env=env, check=True, capture_output=True,
        )  # fmt: skip
        folder = root / ".git" / f"bench-hooks-{side}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for name in ("pre-commit", "commit-msg"):
            shutil.copy2(hooks / name, folder / name)
            (hooks / name).unlink()
        folders[side] = folder
    return folders


def commit_cmd(folder: Path | None) -> list[str]:
    """A commit through the hooks in ``folder`` (None: ``--no-verify``)."""
    if folder is None:
        return ["git", "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", "b"]
    return ["git", "-c", f"core.hooksPath={folder}", "-c", "commit.gpgsign=false", "commit",
            "-q", "-m", "bench: one file"]  # fmt: skip


def undo(root: Path, env: dict[str, str]) -> Callable[[], None]:
    def reset() -> None:
        _git(root, env, "reset", "-q", "--soft", "HEAD~1")

    return reset


def _git(root: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def net(with_hooks: Sequence[float], without: Sequence[float]) -> list[float]:
    """What the hooks add: each commit with hooks minus the --no-verify commit timed
    next to it."""
    return [a - b for a, b in zip(with_hooks, without, strict=True)]
