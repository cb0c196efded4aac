"""Bypass attempts through the rules' own files, in the governed repository of
``support.bypass``: settings and ``python`` check code read from the snapshot judged
(never from the working tree), commit-message cleanup modes, module renames, and
approvals signed with GPG keys (a throwaway ``GNUPGHOME``).

Each attempt states where it must be stopped: at the commit (pre-commit, commit-msg) or
by the CI range check (``charter check --from-ref BASE --to-ref HEAD``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator

import pytest
from support.bypass import CI, COMMIT, DANA, DEPRECATE, FORBIDDEN, MIGRATION, Lab, lab, template

pytestmark = pytest.mark.slow
__all__ = ["lab", "template"]  # the fixtures, imported for pytest

# Not the whole of app/api: a rule naming a module that is gone is an error of its own.
EXCLUDE_ORDERS = '\n[tool.charter]\nexclude = ["app/api/orders.py"]\n'
PLUGIN_DECISION = """\
---
id: ADR-0004
title: Amounts are never floats
status: accepted
constraints:
  - kind: python
    check: checks.money:no_float
    paths: ["app/**"]
---
# ADR-0004
"""
PLUGIN = """\
from checks.words import WORD


def no_float(ctx):
    for path in ctx.files:
        for number, line in enumerate((ctx.text(path) or "").splitlines(), start=1):
            if f"{WORD}: float" in line:
                yield (path, number, "an amount is a float")
"""
PASSES = "def no_float(ctx):\n    return []\n"
FLOAT = ("app/pay.py", "amount: float = 0.0\n")
KEY = ("ed25519", "sign", "never")  # gpg --quick-gen-key: algorithm, usage, expiry


def _staged_only(lab: Lab, *paths: str) -> None:
    """Stage these paths alone: whatever else is in the work tree stays out."""
    assert lab.git("add", *paths)


def _blocked(lab: Lab, message: str) -> str | None:
    """``charter check --staged`` run directly (pre-commit would stash unstaged edits of
    tracked files first), then the commit: where the staged change is stopped."""
    assert lab.sh("charter", "check", "--staged").returncode == 1
    return lab.where(lab.git("commit", "-q", "-m", message))


def _with_plugin(lab: Lab) -> None:
    """The team's python check, in force since the base of the range."""
    lab.write("checks/__init__.py", "")
    lab.write("checks/words.py", "WORD = 'amount'\n")
    lab.write("checks/money.py", PLUGIN)
    lab.write("docs/decisions/0004-money.md", PLUGIN_DECISION)
    lab.settle("Adopt the money check")


def _ci_output(lab: Lab) -> subprocess.CompletedProcess[str]:
    return lab.sh("charter", "check", "--from-ref", lab.base, "--to-ref", "HEAD")


# -- settings: [tool.charter] and .charter.toml come from the index, and each commit --------
def test_an_unstaged_settings_edit_does_not_exclude_a_staged_violation(lab: Lab) -> None:
    lab.write(*FORBIDDEN)
    _staged_only(lab, FORBIDDEN[0])
    lab.write("pyproject.toml", (lab.root / "pyproject.toml").read_text() + EXCLUDE_ORDERS)
    assert _blocked(lab, "Use the db") == COMMIT


def test_an_untracked_charter_toml_does_not_exclude_a_staged_violation(lab: Lab) -> None:
    lab.write(*FORBIDDEN)
    _staged_only(lab, FORBIDDEN[0])
    lab.write(".charter.toml", 'exclude = ["app/api/orders.py"]\n')
    assert _blocked(lab, "Use the db") == COMMIT


def test_no_verify_with_an_unstaged_settings_edit_is_caught_in_ci(lab: Lab) -> None:
    lab.write(*FORBIDDEN)
    _staged_only(lab, FORBIDDEN[0])
    lab.write(".charter.toml", 'exclude = ["app/api/orders.py"]\n')
    assert lab.where(lab.git("commit", "-q", "--no-verify", "-m", "Use the db")) == CI


def test_no_verify_settings_that_exclude_the_violation_they_commit_are_caught_in_ci(
    lab: Lab,
) -> None:
    lab.write(*FORBIDDEN)
    lab.write("pyproject.toml", (lab.root / "pyproject.toml").read_text() + EXCLUDE_ORDERS)
    assert lab.where(lab.commit("Use the db", "--no-verify")) == CI
    assert "excludes more files from Charter: app/api/orders.py" in _ci_output(lab).stdout


def test_each_commit_of_a_range_is_judged_with_its_own_settings(lab: Lab) -> None:
    # The tip's settings exclude app/api/ (approved), the earlier commit's did not: the
    # earlier commit is still judged by its own.
    lab.write("app/api/orders.py", "import app.db\n")
    assert lab.commit("Use the db", "--no-verify")
    lab.write(".charter.toml", 'exclude = ["app/api/orders.py"]\n')
    assert lab.signed("dana", f"Exclude the api\n\nCharter-Approved-By: {DANA}")
    output = _ci_output(lab)
    assert output.returncode == 1
    assert "app/api/orders.py" in output.stdout and "Use the db" in output.stdout


# -- python checks: their code comes from the index, and each commit -----------------------
@pytest.mark.parametrize(
    "passing",
    [
        pytest.param("checks/money.py", id="an unstaged edit of the plugin"),
        # A package folder wins over a module of the same name on sys.path.
        pytest.param("checks/money/__init__.py", id="an untracked package shadowing it"),
    ],
)
def test_a_plugin_outside_the_index_does_not_pass_a_staged_violation(
    lab: Lab, passing: str
) -> None:
    _with_plugin(lab)
    lab.write(*FLOAT)
    _staged_only(lab, FLOAT[0])
    lab.write(passing, PASSES)
    assert _blocked(lab, "Pay in floats") == COMMIT


def test_no_verify_with_an_unstaged_plugin_edit_is_caught_in_ci(lab: Lab) -> None:
    _with_plugin(lab)
    lab.write(*FLOAT)
    _staged_only(lab, FLOAT[0])
    lab.write("checks/words.py", "WORD = 'nothing'\n")
    assert lab.where(lab.git("commit", "-q", "--no-verify", "-m", "Pay in floats")) == CI


def test_a_plugin_edit_committed_with_its_violation_is_a_weakening(lab: Lab) -> None:
    _with_plugin(lab)
    lab.write(*FLOAT)
    lab.write("checks/money.py", PASSES)
    assert lab.where(lab.commit("Pay in floats")) == COMMIT
    assert lab.where(lab.commit("Pay in floats", "--no-verify")) == CI
    output = _ci_output(lab).stdout
    assert "changes the code of ADR-0004/1 (python check 'checks.money:no_float')" in output


def test_a_plugin_in_force_passes_clean_work_and_flags_a_violation(lab: Lab) -> None:
    _with_plugin(lab)
    lab.write("app/pay.py", "from decimal import Decimal\n\namount: Decimal = Decimal(0)\n")
    assert lab.commit("Pay in decimals") and not lab.ci()
    lab.write(*FLOAT)
    result = lab.sh("charter", "check", "--all")
    assert result.returncode == 1 and "app/pay.py:1:" in result.stdout


# -- the commit message: only trailers are read, whatever git's cleanup ---------------------
@pytest.mark.parametrize(
    ("config", "flags"),
    [
        ((), ("--cleanup=verbatim",)),
        ((), ("--cleanup=whitespace",)),
        ((), ("--cleanup=strip",)),
        ((), ("--cleanup=scissors",)),
        (("-c", "commit.cleanup=verbatim"), ()),
        (("-c", "commit.cleanup=strip"), ("--cleanup=verbatim",)),
    ],
)
def test_no_cleanup_mode_lets_a_protected_edit_through(
    lab: Lab, config: tuple[str, ...], flags: tuple[str, ...]
) -> None:
    lab.write(*MIGRATION)
    assert lab.git("add", "-A")
    message = "#42 Tweak migration\n\n# a comment line\n"
    landed = lab.git(*config, "commit", "-q", *flags, "-m", message)
    assert lab.where(landed) == COMMIT


def test_a_trailer_git_does_not_store_as_a_trailer_blocks_in_ci(lab: Lab) -> None:
    # Without an approvers file, an approval trailer is taken at its word. The hook is not
    # told about --cleanup=verbatim and strips the comment as commit.cleanup=strip says;
    # git keeps it, so the stored message has no trailer block: CI reads what git stored.
    assert lab.git("rm", "-q", ".charter/approvers")
    lab.settle("Approvals unverified")
    lab.edit(*DEPRECATE)
    assert lab.git("add", "-A")
    message = f"Relax\n\nCharter-Approved-By: {DANA}\n# reviewed on the call\n"
    flags = ("-c", "commit.cleanup=strip", "commit", "-q", "--cleanup=verbatim", "-m", message)
    assert lab.where(lab.git(*flags)) == CI


# -- module renames in the range check --------------------------------------------------------
def test_no_verify_module_rename_is_named_as_a_weakening(lab: Lab) -> None:
    assert lab.git("mv", "app/db", "app/storage")
    assert lab.commit("Rename the storage package", "--no-verify")
    output = _ci_output(lab)
    assert output.returncode == 1, output.stdout + output.stderr
    assert "weakens governance: ADR-0001/1 (forbid-import) of ADR-0001 narrows" in output.stdout
    assert "no module matches 'app.db' any more (renamed or removed)" in output.stdout
    assert "a maintainer" in output.stdout
    assert "do not exist" not in output.stdout + output.stderr


def test_a_rule_naming_a_module_that_never_existed_stays_a_configuration_error(lab: Lab) -> None:
    lab.write(
        "docs/decisions/0009-typo.md",
        "---\nid: ADR-0009\ntitle: t\nstatus: accepted\nconstraints:\n"
        "  - kind: forbid-import\n    from: app.api\n    to: [app.dbb]\n---\n",
    )
    assert lab.commit("Tighten", "--no-verify")
    output = _ci_output(lab)
    assert output.returncode == 2
    assert "docs/decisions/0009-typo.md" in output.stderr and "app.dbb" in output.stderr


def test_an_approved_module_rename_with_its_decision_updated_passes(lab: Lab) -> None:
    assert lab.git("mv", "app/db", "app/storage")
    lab.edit("docs/decisions/0001-imports.md", "to: [app.db]", "to: [app.storage]")
    lab.edit("app/api/legacy.py", "app.db", "app.storage")
    assert lab.sh("charter", "baseline", "--grow").returncode == 0
    assert lab.signed("dana", f"Rename the storage package\n\nCharter-Approved-By: {DANA}")
    assert not lab.ci()


# -- approvals signed with GPG keys ---------------------------------------------------------
@pytest.fixture
def gnupg() -> Iterator[dict[str, str]]:
    """A throwaway GnuPG home with Dana's and Mallory's signing keys (no passphrase); its
    agent is stopped afterwards. Short path: the agent's socket lives in it."""
    home = tempfile.mkdtemp(prefix="charter-gpg-")
    env = {**os.environ, "GNUPGHOME": home}
    try:
        for who in ("Dana <dana@example.invalid>", "Mallory <mallory@example.invalid>"):
            subprocess.run(
                ["gpg", "--batch", "--quiet", "--passphrase", "", "--quick-gen-key", who, *KEY],
                env=env,
                check=True,
                capture_output=True,
            )
        yield env
    finally:
        subprocess.run(["gpgconf", "--kill", "all"], env=env, check=False)
        shutil.rmtree(home, ignore_errors=True)


def _fingerprint(gpg: dict[str, str], email: str) -> str:
    listing = subprocess.run(
        ["gpg", "--with-colons", "--list-keys", email], env=gpg, capture_output=True, text=True
    ).stdout
    return next(line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:"))


def _export(gpg: dict[str, str], *emails: str) -> str:
    command = ["gpg", "--armor", "--export", *emails]
    return subprocess.run(command, env=gpg, capture_output=True, text=True, check=True).stdout


def _gpg_signed(lab: Lab, gpg: dict[str, str], email: str, message: str) -> bool:
    assert lab.git("add", "-A")
    key = _fingerprint(gpg, email)
    config = ("-c", "gpg.format=openpgp", "-c", f"user.signingkey={key}")
    result = lab.sh("git", *config, "commit", "-q", "-S", "-m", message, env=gpg)
    return result.returncode == 0


def _gpg_approvers(lab: Lab, gpg: dict[str, str], keyring: tuple[str, ...]) -> None:
    """Dana's GPG key listed among the approvers; ``keyring``'s public keys exported."""
    with (lab.root / ".charter/approvers").open("a") as file:
        file.write(f"{DANA} gpg {_fingerprint(gpg, DANA)}\n")
    lab.write(".charter/approvers.asc", _export(gpg, *keyring))
    lab.settle("List Dana's GPG key")


def test_a_weakening_signed_with_a_listed_gpg_key_passes(lab: Lab, gnupg: dict[str, str]) -> None:
    _gpg_approvers(lab, gnupg, (DANA,))
    lab.edit(*DEPRECATE)
    assert _gpg_signed(lab, gnupg, DANA, f"Relax\n\nCharter-Approved-By: {DANA}")
    assert not lab.ci()


def test_a_weakening_signed_with_an_unlisted_gpg_key_is_caught_in_ci(
    lab: Lab, gnupg: dict[str, str]
) -> None:
    _gpg_approvers(lab, gnupg, (DANA,))
    lab.edit(*DEPRECATE)
    landed = _gpg_signed(
        lab, gnupg, "mallory@example.invalid", f"Relax\n\nCharter-Approved-By: {DANA}"
    )
    assert lab.where(landed) == CI


def test_a_gpg_key_in_the_keyring_but_not_listed_does_not_approve(
    lab: Lab, gnupg: dict[str, str]
) -> None:
    # The keyring holds Mallory's public key too: only the listed fingerprints approve.
    _gpg_approvers(lab, gnupg, (DANA, "mallory@example.invalid"))
    lab.edit(*DEPRECATE)
    landed = _gpg_signed(
        lab, gnupg, "mallory@example.invalid", f"Relax\n\nCharter-Approved-By: {DANA}"
    )
    assert lab.where(landed) == CI
    assert "no verifiable approval" in _ci_output(lab).stdout
