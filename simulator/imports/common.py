"""Shared by the importers: git plumbing, exporting a tree, writing the scenario folder."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from charter.hooks.errors import CharterError
from charter.simulator import scenario

README_NOTE = (
    "The oracle is a copy of the repository's own decisions: edit constraints/oracle/ so "
    "that it labels the violations you consider real, independent of the sets under test."
)


def git_bytes(repo: Path, *args: str) -> bytes:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise CharterError(f"{repo}: git {' '.join(args[:2])} failed: {message}")
    return result.stdout


def git(repo: Path, *args: str) -> str:
    return git_bytes(repo, *args).decode("utf-8", "replace")


def export_tree(repo: Path, rev: str, dest: Path, subdir: str | None = None) -> bool:
    """Write the files of ``rev`` (or of ``subdir`` in it) to ``dest``; False when absent."""
    args = ["archive", "--format=tar", rev]
    if subdir is not None:
        listed = git(repo, "ls-tree", "-d", "--name-only", rev, "--", subdir).strip()
        if not listed:
            return False
        args += ["--", subdir]
    data = git_bytes(repo, *args)
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        members = [m for m in archive.getmembers() if m.isfile() or m.isdir() or m.issym()]
        for member in members:
            if member.name.startswith("/") or ".." in Path(member.name).parts:
                raise CharterError(f"{repo}: {rev} holds an unsafe path {member.name!r}")
        archive.extractall(dest, members=members)  # members checked above
    if subdir is not None:
        inner = dest / subdir
        for child in inner.iterdir():
            shutil.move(str(child), dest / child.name)
        shutil.rmtree(dest / Path(subdir).parts[0])
    return True


def safe_id(text: str, taken: set[str]) -> str:
    ident = re.sub(r"[^A-Za-z0-9._@-]+", "-", text).strip("-.") or "task"
    if not ident[0].isalnum():
        ident = "t" + ident
    candidate, n = ident, 2
    while candidate in taken:
        candidate, n = f"{ident}-{n}", n + 1
    taken.add(candidate)
    return candidate


def prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        raise CharterError(f"{out}: the folder exists and is not empty; name a new folder")
    out.mkdir(parents=True, exist_ok=True)


@dataclass(frozen=True)
class AttemptEntry:
    patch: str
    message: str
    outcome: str


@dataclass(frozen=True)
class TaskEntry:
    id: str
    prompt: str
    attempts: tuple[AttemptEntry, ...]
    base_rev: str | None = None

    def as_yaml(self) -> dict[str, object]:
        entry: dict[str, object] = {"id": self.id, "prompt": self.prompt}
        if self.base_rev is not None:
            entry["base_rev"] = self.base_rev
        entry["attempts"] = [vars(a) for a in self.attempts]
        return entry


@dataclass(frozen=True)
class ScenarioFile:
    """An imported scenario's ``scenario.yaml`` (docs/simulator-results.md, scenarios)."""

    name: str
    description: str
    repo: str | dict[str, str]  # a folder fixture, or {bundle, rev}
    constraint_sets: dict[str, str]
    recorded_with: str
    mode: str
    tasks: tuple[TaskEntry, ...]
    oracle: str = "constraints/oracle/"

    def as_yaml(self) -> dict[str, object]:
        return {
            "schema": scenario.SCHEMA,
            "name": self.name,
            "description": self.description,
            "repo": self.repo,
            "oracle": self.oracle,
            "constraint_sets": self.constraint_sets,
            "recorded_with": self.recorded_with,
            "mode": self.mode,
            "tasks": [t.as_yaml() for t in self.tasks],
        }


def finish(out: Path, data: ScenarioFile, readme: str) -> scenario.Scenario:
    """Write ``scenario.yaml`` and the README, and load the scenario back (validated)."""
    import yaml

    text = yaml.safe_dump(data.as_yaml(), sort_keys=False, allow_unicode=True, width=100)
    (out / "scenario.yaml").write_text(text, encoding="utf-8")
    (out / "README.md").write_text(readme, encoding="utf-8")
    return scenario.load(out)
