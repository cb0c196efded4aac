"""A governed repository for bypass attempts: real git, real pre-commit, real SSH keys.

``build_template`` builds it once per test module (decisions, baseline, approvers file
with Dana's SSH key, Charter's hooks installed by pre-commit for every stage, a bare
remote); ``Lab`` is a copy for one attempt, with the ways an attempt can be stopped: the
Claude Code hook, the commit (pre-commit, pre-merge-commit, commit-msg), the push
(pre-push) and the CI range check (``charter check --from-ref BASE --to-ref HEAD``).
The ``template`` and ``lab`` fixtures are imported by the test modules that use them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.repo import PRE_COMMIT

IDENTITY = {
    "GIT_AUTHOR_NAME": "Agent",
    "GIT_AUTHOR_EMAIL": "agent@example.invalid",
    "GIT_COMMITTER_NAME": "Agent",
    "GIT_COMMITTER_EMAIL": "agent@example.invalid",
}
DANA = "dana@example.invalid"
CLAUDE, COMMIT, PUSH, CI = "claude hook", "commit", "pre-push", "CI range check"
# (path, old, new) edits and (path, text) writes the attempts share.
DEPRECATE = ("docs/decisions/0001-imports.md", "status: accepted", "status: deprecated")
FORBIDDEN = ("app/api/orders.py", "import app.db\nORDERS = []\n")
MIGRATION = ("migrations/0001_initial.sql", "CREATE TABLE invoice (id bigint);\n")


def decision(ident: str, body: str, status: str = "accepted") -> str:
    return f"---\nid: {ident}\ntitle: {ident}\nstatus: {status}\n{body}---\n# {ident}\n"


IMPORTS = decision(
    "ADR-0001",
    "constraints:\n  - kind: forbid-import\n    from: app.api\n    to: [app.db]\n"
    "    transitive: true\n",
)
PROTECTED = decision(
    "ADR-0002",
    "constraints:\n  - kind: protected\n    paths: [migrations/0001_initial.sql]\n",
)
CO_CHANGE = decision(
    "ADR-0003",
    "constraints:\n  - kind: co-change\n    when: ['app/models/**']\n"
    "    require: ['migrations/**']\n",
)
FILES = {
    "pyproject.toml": '[project]\nname = "demo"\nversion = "0.1.0"\n',
    "app/__init__.py": "",
    "app/api/__init__.py": "",
    "app/api/legacy.py": "import app.db\n",  # baselined when Charter was adopted
    "app/api/orders.py": "ORDERS = []\n",
    "app/db/__init__.py": "",
    "app/svc.py": "VALUE = 1\n",
    "app/models/__init__.py": "",
    "app/models/invoice.py": "FIELDS = ['id']\n",
    "migrations/0001_initial.sql": "CREATE TABLE invoice (id int);\n",
    "docs/decisions/0001-imports.md": IMPORTS,
    "docs/decisions/0002-protected.md": PROTECTED,
    "docs/decisions/0003-co-change.md": CO_CHANGE,
    ".pre-commit-config.yaml": PRE_COMMIT,
}


def run(
    args: list[str], cwd: Path, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, input=stdin, capture_output=True, text=True)


def keypair(folder: Path, name: str) -> Path:
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True
    )
    return key


def signer_line(principal: str, key: Path) -> str:
    kind, blob = Path(f"{key}.pub").read_text().split()[:2]
    return f"{principal} {kind} {blob}\n"


def build_template(folder: Path, pre_commit_home: Path) -> Path:
    """The governed repository, its first commit made through its own hooks."""
    env = {**os.environ, **IDENTITY, "PRE_COMMIT_HOME": str(pre_commit_home)}
    keys = folder / "keys"
    keys.mkdir()
    dana, mallory = keypair(keys, "dana"), keypair(keys, "mallory")
    root = folder / "repo"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (root / ".charter").mkdir()
    (root / ".charter/approvers").write_text(signer_line(DANA, dana))
    (root / ".gitignore").write_text(".charter_cache/\n")
    for args in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "config", "gpg.format", "ssh"],
        ["charter", "baseline"],
        ["pre-commit", "install", "-t", "pre-commit", "-t", "commit-msg"],
        ["pre-commit", "install", "-t", "pre-merge-commit", "-t", "pre-push"],
        ["git", "add", "-A"],
        ["git", "commit", "-q", "-m", "Adopt Charter"],
        ["git", "init", "-q", "--bare", "../remote.git"],
        ["git", "remote", "add", "origin", "../remote.git"],
        ["git", "push", "-q", "origin", "main"],
    ):
        result = run(args, root, env)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    assert mallory.exists()
    return folder


@dataclass
class Lab:
    """A copy of the governed repository for one attempt."""

    root: Path
    keys: Path
    env: dict[str, str]
    base: str

    @classmethod
    def at(cls, template: Path, pre_commit_home: Path) -> Lab:
        """The template itself, for attempts that change nothing (the agent's shell)."""
        env = {**os.environ, **IDENTITY, "PRE_COMMIT_HOME": str(pre_commit_home)}
        return cls(template / "repo", template / "keys", env, "HEAD")

    @classmethod
    def copy(cls, template: Path, into: Path, pre_commit_home: Path) -> Lab:
        shutil.copytree(template, into, symlinks=True)
        env = {**os.environ, **IDENTITY, "PRE_COMMIT_HOME": str(pre_commit_home)}
        root = into / "repo"
        base = run(["git", "rev-parse", "HEAD"], root, env).stdout.strip()
        return cls(root, into / "keys", env, base)

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def edit(self, rel: str, old: str, new: str) -> None:
        text = (self.root / rel).read_text()
        assert old in text, (rel, old)
        self.write(rel, text.replace(old, new))

    def sh(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return run(list(args), self.root, {**self.env, **(env or {})})

    def git(self, *args: str, env: dict[str, str] | None = None) -> bool:
        """A git command; whether it succeeded (hooks may refuse it)."""
        return self.sh("git", *args, env=env).returncode == 0

    def commit(self, message: str, *flags: str, env: dict[str, str] | None = None) -> bool:
        """``git add -A`` and ``git commit``: whether the commit landed."""
        assert self.git("add", "-A")
        return self.git("commit", "-q", *flags, "-m", message, env=env)

    def head(self) -> str:
        return self.sh("git", "rev-parse", "HEAD").stdout.strip()

    def settle(self, message: str) -> None:
        """Commit the work tree as the team's accepted state: the CI range starts here."""
        assert self.commit(message, "--no-verify")
        self.base = self.head()

    def relax(self, message: str = "Relax", *flags: str) -> bool:
        """Deprecate the imports decision (a weakening) and commit it."""
        self.edit(*DEPRECATE)
        return self.commit(message, *flags)

    def signed(self, who: str, message: str, *flags: str) -> bool:
        """A commit signed with ``who``'s SSH key."""
        key = self.keys / who
        return self.commit(message, "-S", *flags, env=_signing(key))

    def tag(self, who: str, name: str, target: str = "HEAD") -> None:
        key = str(self.keys / who)
        assert self.git("-c", f"user.signingkey={key}", "tag", "-s", "-m", "ok", name, target)

    def ci(self, *extra: str, env: dict[str, str] | None = None) -> bool:
        """The CI range check over everything since the base: whether it blocks."""
        result = self.sh(
            "charter", "check", "--from-ref", self.base, "--to-ref", "HEAD", *extra, env=env
        )
        output = result.stdout + result.stderr
        assert result.returncode in (0, 1, 2), output
        if result.returncode == 2:
            # A configuration error (a rule naming modules that no longer exist) fails the
            # CI job too; it must name the decision file and line, never be a crash.
            assert "docs/decisions/" in output and "error:" in output, output
        return result.returncode != 0

    def claude(self, tool: str, **tool_input: object) -> bool:
        """Claude Code's PreToolUse hook: whether it denies the tool call."""
        payload = {"tool_name": tool, "cwd": str(self.root), "tool_input": tool_input}
        result = run(["charter", "hook", "claude"], self.root, self.env, json.dumps(payload))
        assert result.returncode in (0, 2), result.stderr
        return result.returncode == 2

    def bash(self, command: str) -> bool:
        return self.claude("Bash", command=command)

    def claude_write(self, rel: str, content: str) -> bool:
        return self.claude("Write", file_path=str(self.root / rel), content=content)

    def claude_edit(self, rel: str, old: str, new: str) -> bool:
        file = str(self.root / rel)
        return self.claude("Edit", file_path=file, old_string=old, new_string=new)

    def clean_branches(self, svc_import: str = "import app.db\n") -> None:
        """Branch ``left`` (the api uses svc) beside a commit on ``main`` (svc's new
        code), each clean alone; checked out: ``main``."""
        self.git("checkout", "-q", "-b", "left")
        self.write("app/api/orders.py", "import app.svc\n")
        assert self.commit("Api uses svc")
        self.git("checkout", "-q", "main")
        self.write("app/svc.py", svc_import)
        assert self.commit("Svc changes")

    def approved_on_topic(self) -> str:
        """A weakening Dana signed and approved on branch ``topic``, and a later commit on
        ``main`` (checked out); the approved commit's id."""
        self.git("checkout", "-q", "-b", "topic")
        self.edit(*DEPRECATE)
        assert self.signed("dana", f"Relax\n\nCharter-Approved-By: {DANA}")
        approved = self.head()
        self.git("checkout", "-q", "main")
        self.write("app/svc.py", "VALUE = 2\n")
        assert self.commit("Bump")
        return approved

    def where(self, landed: bool) -> str | None:
        """Where an attempt that went through git was stopped (None: nowhere)."""
        if not landed:
            return "commit"
        return "CI range check" if self.ci() else None


def _signing(key: Path) -> dict[str, str]:
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "user.signingkey",
        "GIT_CONFIG_VALUE_0": str(key),
    }


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The governed repository (built once per module) and pre-commit's home."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    return build_template(tmp_path_factory.mktemp("governed"), home), home


@pytest.fixture
def lab(template: tuple[Path, Path], tmp_path: Path) -> Lab:
    """A copy of the governed repository for one test."""
    folder, home = template
    return Lab.copy(folder, tmp_path / "lab", home)
