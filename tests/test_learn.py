"""``charter learn``: guards from fix commits, back-tested on the history after the fix.

The real-history test runs on ``examples/history/itsdangerous-learn/history.bundle``
(97 first-parent commits of pallets/itsdangerous, 2021-2025). Its expectations come
from reading that history (see the example's README), not from the tool's output:

- upstream 233527d ("remove deprecated code") removed ``import warnings`` from
  ``itsdangerous._json``, the last module importing it; upstream 1e9550e ("deprecate
  ``__version__``") imported it again in ``__init__.py``; upstream 31f46a3, the last
  commit, removed it again. A guard adopted at 233527d catches 1e9550e.
- upstream bc88e94 ("improve typing") removed ``typing_extensions`` from
  ``itsdangerous.timed``; upstream 135eb23 ("Generic serializer") imported it again in
  ``serializer.py`` and the project kept it: a false block.

The small synthetic repositories prove the other fix shapes (a call replaced across
files, files moved out of a folder, a revert of a stable file).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support.repo import EXAMPLES, Charter, commit_all, git, make_repo, run_cli, write_file

BUNDLE = EXAMPLES / "history" / "itsdangerous-learn" / "history.bundle"


def _by_upstream(repo: Path, upstream: str) -> str:
    """The linear commit whose ``Upstream-commit:`` trailer names ``upstream``."""
    found = git(repo, "log", "--format=%H", f"--grep=Upstream-commit: {upstream}").split()
    assert len(found) == 1, upstream
    return found[0]


def _record(out: Path, slug: str) -> str:
    matches = sorted(out.glob(f"[0-9][0-9][0-9][0-9]-{slug}.md"))
    assert len(matches) == 1, sorted(p.name for p in out.glob("*.md"))
    return matches[0].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def itsdangerous(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The bundle cloned, and ``charter learn --holds --from-history`` run on all of it
    once (a real process): the repository, the records' folder and the printed lines."""
    root = tmp_path_factory.mktemp("learn")
    repo, out = root / "itsdangerous", root / "learned"
    git(BUNDLE.parent, "clone", "-q", "-b", "history", str(BUNDLE), str(repo))
    start = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    code, stdout, err = run_cli(
        "learn", "--holds", "--from-history", str(repo), "--range", f"{start}..HEAD",
        "--out", str(out), cwd=root,
    )  # fmt: skip
    assert code == 0, err
    return repo, out, stdout


def test_learn_on_real_history_proposes_a_guard_that_catches_a_later_violation(
    itsdangerous: tuple[Path, Path, str],
) -> None:
    repo, out, stdout = itsdangerous
    fix = _by_upstream(repo, "233527d38b")
    recurrence = _by_upstream(repo, "1e9550e9c3")
    record = _record(out, "itsdangerous-does-not-import-warnings")
    assert "status: proposed" in record
    assert f"adopted: {fix}" in record
    assert "from: itsdangerous\n" in record and "to: [warnings]" in record
    evidence = record.split("## Evidence")[1].split("## Back-test")[0]
    assert fix[:10] in evidence and "`itsdangerous._json`" in evidence
    backtest = record.split("## Back-test")[1]
    # 96 commits after the base; the fix is the second, so 95 are judged after it.
    assert "on the 95 commits after it: caught 1, false blocks 0 (0%), cost 1 of 95" in backtest
    assert re.search(rf"- caught: {recurrence[:10]} \(2024-04-13, deprecate", backtest)
    assert "src/itsdangerous/__init__.py" in backtest
    assert "itsdangerous does not import warnings -- caught 1" in stdout
    assert "[passes]" in stdout.split("warnings --")[1].splitlines()[0]


def test_a_high_false_block_rate_is_shown(itsdangerous: tuple[Path, Path, str]) -> None:
    repo, out, _ = itsdangerous
    fix = _by_upstream(repo, "bc88e945d3")
    kept = _by_upstream(repo, "135eb234ed")
    record = _record(out, "itsdangerous-does-not-import-typing-extensions")
    assert f"adopted: {fix}" in record
    assert f"- false block (kept): {kept[:10]}" in record
    assert "src/itsdangerous/serializer.py" in record
    assert "**High false-block rate: 100%.**" in record


def test_what_already_holds_is_proposed_from_the_start(
    itsdangerous: tuple[Path, Path, str], charter: Charter
) -> None:
    repo, out, _ = itsdangerous
    record = _record(out, "itsdangerous-layers")
    assert "kind: layers" in record and "adopted:" not in record
    assert "since the start of the range, on the 96 commits after it" in record
    # Every record learn wrote is a valid decision for Charter itself.
    shutil.copytree(out, repo / "docs" / "decisions", dirs_exist_ok=True)
    code, stdout, err = charter("validate", "--root", repo, "-v")
    assert code == 0, stdout + err
    assert "9 valid decisions; 0 errors, 0 warnings" in stdout


@pytest.mark.usefixtures("git_identity")
def test_fix_shapes_replaced_call_moved_files_and_revert(tmp_path: Path, charter: Charter) -> None:
    repo = make_repo(tmp_path / "app")
    for name in ("a", "b"):
        write_file(repo, f"app/{name}.py", "import time\n\n\ndef f():\n    return time.time()\n")
    write_file(repo, "app/__init__.py")
    write_file(repo, "util/helpers.py", "X = 1\n")
    write_file(repo, "STABLE.txt", "v1\n")
    commit_all(repo, "base")
    base = git(repo, "rev-parse", "HEAD").strip()
    for name in ("a", "b"):
        write_file(
            repo, f"app/{name}.py", "import time\n\n\ndef f():\n    return time.monotonic()\n"
        )
    commit_all(repo, "use a monotonic clock")
    git(repo, "mv", "util/helpers.py", "app/helpers.py")
    commit_all(repo, "move helpers into the package")
    write_file(repo, "STABLE.txt", "v2\n")
    commit_all(repo, "bump the stable file")
    git(repo, "revert", "--no-edit", "HEAD")
    write_file(repo, "app/c.py", "import time\n\nT = time.time()\n")
    commit_all(repo, "a new module reads the wall clock")
    write_file(repo, "util/extra.py", "Y = 2\n")
    commit_all(repo, "a helper where helpers no longer live")
    shutil.rmtree(repo / "util")
    commit_all(repo, "clean up util again")
    out = tmp_path / "learned"
    code, stdout, err = charter(
        "learn", "--from-history", repo, "--range", f"{base}..HEAD", "--out", out
    )
    assert code == 0, err
    assert "banned-api: Use time.monotonic, not time.time -- caught 0, false blocks 1" in stdout
    banned = _record(out, "use-time-monotonic-not-time-time")
    assert "names: [time.time]" in banned and "replacement: time.monotonic" in banned
    # app/c.py still reads the wall clock at the end: the project kept it.
    assert "caught 0, false blocks 1" in banned
    placed = _record(out, "no-py-files-in-util")
    assert "deny: [util/*.py]" in placed
    # util/extra.py came back and was removed again: a real violation, caught.
    assert "caught 1, false blocks 0" in placed
    protected = _record(out, "keep-stable-txt-stable")
    assert "paths: [STABLE.txt]" in protected and "kind: protected" in protected
