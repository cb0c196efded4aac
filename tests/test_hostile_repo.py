"""Hostile repositories: evasion by encoding, size and paths; writes through symlinks.

Each case is one real git repository and one ``charter`` call, with the outcome a user
would see: the finding (file and line), or an error naming the file and the fix.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from support.hostile import BOUNDED
from support.repo import Charter, commit_all, decision, git, write_decision, write_file

pytestmark = [BOUNDED, pytest.mark.usefixtures("git_identity")]

BAN = "constraints:\n  - kind: banned-api\n    names: [os.system]\n"
SQL = (
    "constraints:\n  - kind: forbid-pattern\n    pattern: 'SELECT \\*'\n    files: ['**/*.yaml']\n"
)
CALL = "import os\nos.system('x')\n"


def _repo(repo: Path, extra: str = BAN) -> Path:
    write_decision(repo, "0001-x.md", decision("ADR-1", extra=extra))
    write_file(repo, "app/__init__.py")
    write_file(repo, "app/api.py", CALL)
    return repo


# -- FILES arguments (silent) -------------------------------------------------------------


@pytest.mark.parametrize("spelling", ["app/api.py", "./app/api.py", "app//api.py", "ABS"])
def test_a_file_argument_in_any_spelling_is_checked(
    repo: Path, charter: Charter, monkeypatch: pytest.MonkeyPatch, spelling: str
) -> None:
    _repo(repo)
    monkeypatch.chdir(repo)
    name = str(repo / "app/api.py") if spelling == "ABS" else spelling
    code, out, err = charter("check", "--all", name)
    assert code == 1, err
    assert out.startswith("app/api.py:2:1: ADR-1 [banned-api]")


def test_a_file_argument_from_a_subfolder_is_checked(
    repo: Path, charter: Charter, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(repo)
    monkeypatch.chdir(repo / "app")
    code, out, _ = charter("check", "--all", "api.py")
    assert code == 1
    assert out.startswith("app/api.py:2:1: ADR-1 [banned-api]")


def test_a_folder_argument_checks_the_files_below_it(
    repo: Path, charter: Charter, monkeypatch: pytest.MonkeyPatch
) -> None:
    _repo(repo)
    monkeypatch.chdir(repo)
    code, out, _ = charter("check", "--all", "app")
    assert code == 1 and "app/api.py:2:1: ADR-1 [banned-api]" in out


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("app/apii.py", "app/apii.py: no such file in the repository (did you mean 'app/api.py'?)"),
        ("nope.py", "nope.py: no such file in the repository"),
        ("../outside.py", "../outside.py: outside the repository"),
        ("/etc/passwd", "/etc/passwd: outside the repository"),
    ],
)
def test_an_unknown_file_argument_is_named(
    repo: Path, charter: Charter, monkeypatch: pytest.MonkeyPatch, name: str, message: str
) -> None:
    _repo(repo)
    monkeypatch.chdir(repo)
    code, out, err = charter("check", "--all", name)
    assert code == 2, out
    assert message in err


# -- Encodings and sizes (silent) ----------------------------------------------------------


def test_a_latin1_python_file_with_a_coding_cookie_is_checked(repo: Path, charter: Charter) -> None:
    _repo(repo)
    source = "# -*- coding: latin-1 -*-\nimport os\nname = 'café'\nos.system(name)\n"
    (repo / "app/legacy.py").write_bytes(source.encode("latin-1"))
    code, out, _ = charter("check", "--all", "--root", repo)
    assert code == 1
    assert "app/legacy.py:4:1: ADR-1 [banned-api]" in out


def test_a_latin1_yaml_file_is_still_searched(repo: Path, charter: Charter) -> None:
    _repo(repo, SQL)
    (repo / "conf/q.yaml").parent.mkdir()
    (repo / "conf/q.yaml").write_bytes("name: 'café'\nsql: SELECT * FROM t\n".encode("latin-1"))
    code, out, _ = charter("check", "--all", "--root", repo)
    assert code == 1
    assert "conf/q.yaml:2:6: ADR-1 [forbid-pattern]" in out


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"import os\nos.system('\xff')\n", "not valid utf-8 on line 2"),
        (b"# coding: klingon\nimport os\n", "its encoding declaration cannot be used"),
        (b"import os\0\nos.system('x')\n", "a binary file (it holds NUL bytes)"),
        (CALL.encode() + b"#" * 1_000_001 + b"\n", "larger than 1,000,000 bytes"),
    ],
)
def test_a_file_charter_cannot_read_is_a_finding(
    repo: Path, charter: Charter, content: bytes, reason: str
) -> None:
    _repo(repo)
    (repo / "app/evasive.py").write_bytes(content)
    code, out, _ = charter("check", "--all", "--root", repo)
    assert code == 1, out
    assert f"app/evasive.py:1:1: charter [unreadable] {reason}" in out


def test_unreadable_files_can_be_made_warnings(repo: Path, charter: Charter) -> None:
    _repo(repo)
    write_file(repo, "pyproject.toml", "[tool.charter]\nunreadable = 'warning'\n")
    (repo / "app/api.py").write_text("x = 1\n")
    (repo / "app/big.py").write_bytes(b"#" * 2_000_000)
    code, out, _ = charter("check", "--all", "--root", repo)
    assert code == 0
    assert "app/big.py:1:1: warning: charter [unreadable] larger than 1,000,000 bytes" in out


def test_a_binary_file_no_rule_names_is_not_a_finding(repo: Path, charter: Charter) -> None:
    _repo(repo, SQL)
    (repo / "app/api.py").write_text("x = 1\n")
    (repo / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    assert charter("check", "--all", "--root", repo)[:2] == (0, "")


# -- Writes never go through a symlink (lost) ----------------------------------------------


def test_fix_never_writes_through_a_symlink(tmp_path: Path, repo: Path, charter: Charter) -> None:
    extra = BAN + "    replacement: subprocess.run\n"
    _repo(repo, extra)
    outside = tmp_path / "other-project.py"
    outside.write_text(CALL)
    (repo / "app/api.py").unlink()
    (repo / "app/api.py").symlink_to(outside)
    code, out, _ = charter("fix", "--root", repo)
    assert (code, out) == (0, "")  # a link is a name, as git stores it: nothing to fix
    assert outside.read_text() == CALL


@pytest.mark.parametrize("link", ["file", "folder"])
def test_writes_refuse_a_symlinked_file_or_folder(tmp_path: Path, link: str) -> None:
    from charter.hooks.errors import CharterError
    from charter.hooks.source import writes

    root, outside = tmp_path / "repo", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "x.py").write_text("theirs\n")
    if link == "file":
        (root / "x.py").symlink_to(outside / "x.py")
        rel, shown = "x.py", "x.py"
    else:
        (root / "pkg").symlink_to(outside)
        rel, shown = "pkg/x.py", "pkg"
    with pytest.raises(CharterError, match=f"^{shown}: is a symlink; Charter does not write"):
        writes.write_text(root, rel, "mine\n")
    with pytest.raises(CharterError, match="is a symlink"):
        writes.remove(root, rel)
    assert (outside / "x.py").read_text() == "theirs\n"


def test_agents_md_never_writes_through_a_symlink(
    tmp_path: Path, repo: Path, charter: Charter
) -> None:
    _repo(repo)
    outside = tmp_path / "notes.md"
    outside.write_text("my notes\n")
    (repo / "AGENTS.md").symlink_to(outside)
    code, _, err = charter("agents-md", "--root", repo)
    assert outside.read_text() == "my notes\n"
    assert code == 2
    assert "AGENTS.md: is a symlink; Charter does not write through symlinks" in err


# -- The baseline never forgets what it could not read (lost) -----------------------------


@pytest.mark.parametrize(
    "broken",
    [b"import os\nos.system(\n", b"import os\nos.system('\xff')\n", b"#" * 1_000_001],
)
def test_the_baseline_keeps_entries_of_files_it_could_not_read(
    repo: Path, charter: Charter, broken: bytes
) -> None:
    _repo(repo)
    assert charter("baseline", "--root", repo)[0] == 0
    before = (repo / ".charter/baseline.json").read_text()
    assert '"app/api.py"' in before
    (repo / "app/api.py").write_bytes(broken)
    charter("baseline", "--root", repo)
    assert (repo / ".charter/baseline.json").read_text() == before
    (repo / "app/api.py").write_text(CALL)
    assert charter("check", "--all", "--root", repo)[:2] == (0, "")


# -- The journal never blocks a commit (crash) --------------------------------------------


@pytest.mark.parametrize("fault", ["journal-is-a-file", "attempts-is-a-folder", "blobs-is-a-file"])
def test_a_journal_that_cannot_be_written_warns_and_lets_clean_commits_through(
    repo: Path, charter: Charter, fault: str
) -> None:
    write_decision(repo, "0001-x.md", decision("ADR-1", extra=BAN))
    write_file(repo, "pyproject.toml", "[tool.charter]\njournal = true\n")
    commit_all(repo, "start")
    journal = repo / ".git/charter/journal"
    if fault == "journal-is-a-file":
        journal.parent.mkdir(parents=True, exist_ok=True)
        journal.write_text("not a folder")
    elif fault == "attempts-is-a-folder":
        (journal / "attempts.jsonl").mkdir(parents=True)
    else:
        journal.mkdir(parents=True)
        (journal / "blobs").write_text("not a folder")
    write_file(repo, "app/clean.py", "x = 1\n")
    git(repo, "add", "-A")
    code, out, err = charter("check", "--staged", "--root", repo)
    assert code == 0, out + err
    assert "warning: could not record this attempt in the journal" in err
    assert ".git/charter/journal" in err


# -- Sparse checkouts and merges (silent, wrongly blocked) ---------------------------------


def test_a_sparse_checkout_without_the_decisions_folder_still_checks(
    repo: Path, charter: Charter
) -> None:
    _repo(repo)
    (repo / "app/api.py").write_text("x = 1\n")
    commit_all(repo, "start")
    git(repo, "sparse-checkout", "set", "--no-cone", "/app/", "/pyproject.toml")
    assert not (repo / "docs/decisions").exists()
    write_file(repo, "app/new.py", CALL)
    git(repo, "add", "app/new.py")
    code, out, err = charter("check", "--staged", "--root", repo)
    assert code == 1, err
    assert "app/new.py:2:1: ADR-1 [banned-api]" in out


def test_symlinked_source_file_is_read_as_a_link_not_followed(
    tmp_path: Path, repo: Path, charter: Charter
) -> None:
    _repo(repo)
    (repo / "app/api.py").write_text("x = 1\n")
    secret = tmp_path / "secret.py"
    secret.write_text(CALL)
    os.symlink(secret, repo / "app/link.py")
    code, out, _ = charter("check", "--all", "--root", repo)
    assert "secret" not in out
    assert code in (0, 1)


# -- python plugins through the CLI (hang, silent, crash) ----------------------------------

# Each test names its own plugin module: Python keeps an imported module for the process.
PLUGIN = "constraints:\n  - kind: python\n    check: {module}:{name}\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("import sys\n    sys.exit(0)", "called sys.exit(0); a check returns its violations"),
        ("return [('app/api.py', 'one', 'm')]", "result 0 is ('app/api.py', 'one', 'm')"),
        ("raise KeyError('x')", "raised KeyError: 'x'"),
        ("return 7", "returned int, not a list (or generator) of violations"),
    ],
)
def test_a_misbehaving_plugin_is_an_error_naming_it_and_its_decision(
    repo: Path, charter: Charter, body: str, message: str
) -> None:
    _repo(repo)
    module = f"team_checks_{abs(hash(body))}"
    extra = PLUGIN.format(module=module, name="bad")
    write_decision(repo, "0002-plugin.md", decision("ADR-2", extra=extra))
    write_file(repo, f"{module}.py", f"def bad(ctx):\n    {body}\n")
    code, out, err = charter("check", "--all", "--root", repo)
    assert code == 2, out + err
    assert f"docs/decisions/0002-plugin.md: ADR-2/1 (python check '{module}:bad')" in err
    assert message in err


def test_a_plugin_that_prints_keeps_json_output_valid(repo: Path, charter: Charter) -> None:
    import json

    _repo(repo)
    extra = PLUGIN.format(module="talkative_checks", name="talk")
    write_decision(repo, "0002-plugin.md", decision("ADR-2", extra=extra))
    write_file(
        repo,
        "talkative_checks.py",
        "def talk(ctx):\n    print('debug noise')\n    return [('app/api.py', 1, 'mine')]\n",
    )
    code, out, _ = charter("check", "--all", "--format", "json", "--root", repo)
    assert code == 1
    report = json.loads(out)
    assert {(f["decision"], f["path"]) for f in report["violations"]} == {
        ("ADR-1", "app/api.py"),
        ("ADR-2", "app/api.py"),
    }


def test_a_plugin_that_sleeps_is_stopped(
    repo: Path, charter: Charter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from charter.hooks import plugincall

    monkeypatch.setattr(plugincall, "TIME_LIMIT", 1.0)
    _repo(repo)
    extra = PLUGIN.format(module="sleepy_checks", name="nap")
    write_decision(repo, "0002-plugin.md", decision("ADR-2", extra=extra))
    write_file(repo, "sleepy_checks.py", "import time\ndef nap(ctx):\n    time.sleep(60)\n")
    code, _, err = charter("check", "--all", "--root", repo)
    assert code == 2
    assert "(python check 'sleepy_checks:nap'): ran for more than 1 s and was stopped" in err


# -- Catastrophic patterns through the CLI (hang) ------------------------------------------


def test_a_catastrophic_pattern_does_not_hang_the_hook(repo: Path) -> None:
    from support.hostile import bounded_cli

    extra = "constraints:\n  - kind: forbid-pattern\n    pattern: '(a+)+$'\n"
    _repo(repo, extra)
    write_file(repo, "data.txt", "a" * 100_000 + "!\naaa\n")
    outcome = bounded_cli(["check", "--all"], repo)
    assert outcome.code == 1, outcome.text
    assert (
        "data.txt:2:1: ADR-1 [forbid-pattern] matches the forbidden pattern: 'aaa'" in outcome.out
    )
    assert outcome.seconds < 30


def test_a_pattern_re2_cannot_run_gets_a_time_limit(
    repo: Path, charter: Charter, monkeypatch: pytest.MonkeyPatch
) -> None:
    from charter.hooks import userregex

    monkeypatch.setattr(userregex, "TIME_LIMIT", 0.5)
    extra = "constraints:\n  - kind: forbid-pattern\n    pattern: '^(?=(a+)+$)b'\n"
    _repo(repo, extra)
    write_file(repo, "data.txt", "a" * 40 + "!\n")
    code, out, _ = charter("check", "--all", "--root", repo)
    assert code == 1, out
    assert "data.txt:1:1: ADR-1 [forbid-pattern]" in out
    assert "ran for more than 0.5 s on this file" in out


# -- A merge of work already judged on its branch (wrongly blocked) ------------------------


def _merge_repo(repo: Path) -> Path:

    extra = (
        "constraints:\n  - kind: protected\n    paths: ['vendor/']\n" + BAN[len("constraints:\n") :]
    )
    write_decision(repo, "0001-x.md", decision("ADR-1", extra=extra))
    write_file(repo, "vendor/lib.py", "VERSION = 1\n")
    write_file(repo, "app/__init__.py")
    commit_all(repo, "start")
    git(repo, "branch", "-M", "main")
    return repo


def _judge_merges(repo: Path) -> None:
    """From here on the commit-msg hook judges (only the merge: the branch's own commits
    were judged on the branch, which this test stands in for)."""
    from support.repo import install_git_hook

    install_git_hook(repo, "commit-msg", 'commit-msg "$1"')


@pytest.mark.parametrize(
    ("change", "trailer"),
    [
        (
            ("app/x.py", "import os\nos.system('x')  # charter: allow ADR-1 -- audited\n"),
            "Charter-Approved-By: lead",
        ),
        (("vendor/lib.py", "VERSION = 2\n"), "Charter-Waive: ADR-1 -- upstream security fix"),
    ],
)
def test_a_merge_of_work_waived_on_its_branch_is_not_refused_again(
    repo: Path, change: tuple[str, str], trailer: str
) -> None:
    _merge_repo(repo)
    git(repo, "checkout", "-qb", "feature")
    write_file(repo, *change)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", f"Feature\n\n{trailer}")
    git(repo, "checkout", "-q", "main")
    write_file(repo, "app/other.py", "x = 1\n")
    commit_all(repo, "Other work")
    _judge_merges(repo)
    result = subprocess.run(
        ["git", "merge", "--no-ff", "-m", "Merge feature", "feature"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert git(repo, "log", "-1", "--format=%s").strip() == "Merge feature"


def test_a_merge_that_itself_weakens_governance_is_still_refused(repo: Path) -> None:
    _merge_repo(repo)
    git(repo, "checkout", "-qb", "feature")
    write_file(repo, "app/y.py", "y = 1\n")
    commit_all(repo, "Feature")
    git(repo, "checkout", "-q", "main")
    write_file(repo, "app/other.py", "x = 1\n")
    commit_all(repo, "Other work")
    _judge_merges(repo)
    result = subprocess.run(
        ["git", "merge", "--no-ff", "--no-commit", "feature"], cwd=repo, capture_output=True
    )
    assert result.returncode == 0
    write_file(repo, "vendor/lib.py", "VERSION = 3\n")  # slipped into the merge itself
    git(repo, "add", "-A")
    result = subprocess.run(
        ["git", "commit", "-m", "Merge feature"], cwd=repo, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "vendor/lib.py" in result.stdout + result.stderr


# -- ruff through the CLI (crash, wrong) ----------------------------------------------------

RUFF = "constraints:\n  - kind: ruff\n    select: [F401]\n"


def test_a_staged_syntax_error_is_charters_finding_not_the_ruff_rules(
    repo: Path, charter: Charter
) -> None:
    _repo(repo, RUFF)
    write_file(repo, "app/api.py", "import os\n")
    write_file(repo, "app/broken.py", "def f(:\n")
    git(repo, "add", "-A")
    code, out, _ = charter("check", "--staged", "--all", "--root", repo)
    assert code == 1
    assert "app/broken.py:1:7: charter [syntax-error] cannot parse" in out
    assert "app/broken.py" not in out.replace("app/broken.py:1:7: charter [syntax-error]", "")
    assert "app/api.py:1:8: ADR-1 [ruff] F401" in out


def test_a_file_ruff_crashes_on_is_named_and_the_others_are_checked(
    repo: Path, charter: Charter
) -> None:
    _repo(repo, RUFF)
    write_file(repo, "app/api.py", "import os\n")
    write_file(repo, "app/deep.py", "x = " + "+".join(["a"] * 100_000) + "\n")
    code, out, err = charter("check", "--all", "--root", repo)
    assert code == 1, err
    assert "app/deep.py:1:1: ADR-1 [ruff] ruff could not check this file" in out
    assert "app/api.py:1:8: ADR-1 [ruff] F401" in out


# -- Names that name nothing (silent) -------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ("[os.sytem]", "names[0]: 'os.sytem': 'os' has no 'sytem' (did you mean 'os.system'?)"),
        (
            "[datetime.datetime.nwo]",
            "names[0]: 'datetime.datetime.nwo': 'datetime.datetime' has no 'nwo' "
            "(did you mean 'datetime.datetime.now'?)",
        ),
        ("[requets.get]", "names[0]: 'requets.get': no module 'requets' in the project"),
    ],
)
def test_a_banned_name_that_names_nothing_is_an_error(
    repo: Path, charter: Charter, names: str, message: str
) -> None:
    extra = f"constraints:\n  - kind: banned-api\n    names: {names}\n"
    _repo(repo, extra)
    code, out, _ = charter("validate", "--root", repo)
    assert code == 2, out
    assert f"docs/decisions/0001-x.md:7: error: constraints[0].{message}" in out


def test_a_banned_name_in_a_proposed_decision_is_a_warning(repo: Path, charter: Charter) -> None:
    extra = "constraints:\n  - kind: banned-api\n    names: [os.sytem]\n"
    write_decision(repo, "0001-x.md", decision("ADR-1", status="proposed", extra=extra))
    code, out, _ = charter("validate", "--root", repo)
    assert code == 0, out
    assert "0001-x.md:7: warning: constraints[0].names[0]: 'os.sytem'" in out


def test_a_typo_in_a_layer_module_of_an_accepted_decision_is_an_error(
    repo: Path, charter: Charter
) -> None:
    extra = "constraints:\n  - kind: layers\n    layers: [app.api, app.dbb]\n"
    _repo(repo, extra)
    write_file(repo, "app/db.py", "x = 1\n")
    code, out, _ = charter("validate", "--root", repo)
    assert code == 2, out
    assert (
        "error: constraints[0].layers[1]: module 'app.dbb' (did you mean 'app.db'?) matches "
        "no module under the source roots"
    ) in out


def test_a_pattern_re2_cannot_run_is_a_warning_in_validate(repo: Path, charter: Charter) -> None:
    extra = "constraints:\n  - kind: forbid-pattern\n    pattern: '(a)\\1'\n"
    _repo(repo, extra)
    code, out, _ = charter("validate", "--root", repo)
    assert code == 0, out
    assert "0001-x.md:7: warning: constraints[0].pattern: pattern '(a)\\\\1' needs Python's" in out
