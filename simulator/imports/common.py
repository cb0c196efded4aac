"""Shared by the importers: git plumbing, exporting a tree, writing the scenario folder."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from charter.hooks.errors import CharterError
from charter.simulator import scenario

ORACLE_NOTE = (
    "The oracle (constraints/oracle/) was given to the importer with `--oracle`: it labels "
    "the violations considered real, independently of the sets under test."
)


def copy_oracle(oracle: Path, dest: Path) -> None:
    """Copy the oracle's decision records (``--oracle DIR``) into the scenario."""
    records = sorted(oracle.glob("*.md")) if oracle.is_dir() else []
    if not records:
        raise CharterError(
            f"{oracle}: --oracle must name a folder of decision records (*.md) that labels "
            "the violations you consider real; it must not be the set under test"
        )
    dest.mkdir(parents=True, exist_ok=True)
    for record in records:
        shutil.copyfile(record, dest / record.name)


def _records(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*.md")}


def refuse_circular(oracle: Path, sets: Mapping[str, Path]) -> None:
    """The oracle must not be a copy of a set under test: it would label exactly what
    that set blocks, and the set's verdicts would be right by construction."""
    labels = _records(oracle)
    for name, folder in sets.items():
        if labels and labels == _records(folder):
            raise CharterError(
                f"{oracle}: the oracle is a copy of the set `{name}` under test "
                "(for `repo`: a copy of the repository's decisions); give an oracle that "
                "labels violations independently of the sets"
            )


def write_sets(
    repo: Path, rev: str, out: Path, oracle: Path, extra: Mapping[str, Path]
) -> dict[str, str]:
    """Write the constraint sets of an imported scenario into ``out/constraints``:
    ``none`` (the empty set), ``repo`` (the repository's decisions at ``rev``), each
    ``extra`` set given by the user, and the oracle; the scenario's ``constraint_sets``."""
    from charter.hooks import settings

    root = out / "constraints"
    decisions = settings.load(repo)[0].decisions
    if not export_tree(repo, rev, root / "repo", decisions):
        (root / "repo").mkdir(parents=True, exist_ok=True)
    (root / "none").mkdir(parents=True)
    (root / "none" / "README.md").write_text("The empty set: no decision.\n", encoding="utf-8")
    for name, folder in extra.items():
        if name in ("none", "repo", "oracle"):
            raise CharterError(f"--set {name}={folder}: {name!r} is taken; name the set otherwise")
        if not folder.is_dir() or not any(folder.glob("*.md")):
            raise CharterError(f"--set {name}={folder}: not a folder of decision records (*.md)")
        shutil.copytree(folder, root / name)
    copy_oracle(oracle, root / "oracle")
    names = ["none", "repo", *extra]
    refuse_circular(root / "oracle", {n: root / n for n in names})
    return {n: f"constraints/{n}/" for n in names}


def has_commit(repo: Path, rev: str) -> bool:
    found = subprocess.run(
        ["git", "cat-file", "-e", f"{rev}^{{commit}}"], cwd=repo, capture_output=True, check=False
    )
    return found.returncode == 0


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


@contextmanager
def writing(out: Path) -> Iterator[Path]:
    """A fresh folder beside ``out`` to write the scenario into, moved to ``out`` only
    when the import succeeds: a failed import leaves nothing half-written behind.

    The folder is absolute, so git commands run in the source repository (``bundle
    create``) write into it and not into a path relative to that repository.
    """
    out = out.absolute()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise CharterError(f"{out}: the folder exists and is not empty; name a new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        yield partial
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if out.exists():
        out.rmdir()
    partial.rename(out)


@dataclass(frozen=True)
class AttemptEntry:
    patch: str
    message: str
    outcome: str


@dataclass(frozen=True)
class SuccessEntry:
    """A ``success:`` test as written in ``scenario.yaml`` (see scenario.Success)."""

    command: str
    timeout: float = 300.0

    def as_yaml(self) -> dict[str, object]:
        return {"command": self.command, "timeout": self.timeout}


@dataclass(frozen=True)
class TaskEntry:
    id: str
    prompt: str
    attempts: tuple[AttemptEntry, ...]
    base_rev: str | None = None
    context: bool = False
    commit: str | None = None  # a history's commit, and its committer date (ISO)
    date: str | None = None
    success: SuccessEntry | None = None  # the task's own success test

    def as_yaml(self) -> dict[str, object]:
        entry: dict[str, object] = {"id": self.id, "prompt": self.prompt}
        if self.base_rev is not None:
            entry["base_rev"] = self.base_rev
        if self.context:
            entry["context"] = True
        if self.commit is not None:
            entry["commit"] = self.commit
        if self.date is not None:
            entry["date"] = self.date
        if self.success is not None:
            entry["success"] = self.success.as_yaml()
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
    success: SuccessEntry | None = None  # every task's success test (a task's own wins)

    def as_yaml(self) -> dict[str, object]:
        data: dict[str, object] = {
            "schema": scenario.SCHEMA,
            "name": self.name,
            "description": self.description,
            "repo": self.repo,
            "oracle": self.oracle,
            "constraint_sets": self.constraint_sets,
            "recorded_with": self.recorded_with,
            "mode": self.mode,
        }
        if self.success is not None:
            data["success"] = self.success.as_yaml()
        data["tasks"] = [t.as_yaml() for t in self.tasks]
        return data


def finish(out: Path, data: ScenarioFile, readme: str) -> scenario.Scenario:
    """Write ``scenario.yaml`` and the README, and load the scenario back (validated)."""
    import yaml

    text = yaml.safe_dump(data.as_yaml(), sort_keys=False, allow_unicode=True, width=100)
    (out / "scenario.yaml").write_text(text, encoding="utf-8")
    (out / "README.md").write_text(readme, encoding="utf-8")
    return scenario.load(out)
