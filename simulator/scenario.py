"""Scenarios (``charter-scenario/1``): the model, and a loader with errors that say where.

A scenario is a folder holding ``scenario.yaml``, the base repository, an oracle decision
set, constraint sets and the recorded tasks' patches (see docs/simulator-results.md and
SPEC §7). Every path in ``scenario.yaml`` is relative to the folder; an absolute path, a
``..`` escape or a symlink leading out of the folder is an error naming the file, the line
and the field, and so is a patch that touches a path outside the repository.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from charter.hooks import boundedyaml
from charter.hooks.diagnostics import field_path
from charter.hooks.errors import CharterError
from charter.simulator import patches

SCHEMA = "charter-scenario/1"
NAME = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
TASK_ID = r"^[A-Za-z0-9][A-Za-z0-9._@-]*$"
Outcome = Literal["accepted", "rejected"]
Mode = Literal["chained", "independent"]
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Attempt:
    patch: Path  # absolute
    patch_rel: str  # as written in scenario.yaml
    message: str
    outcome: Outcome | None


@dataclass(frozen=True)
class Task:
    id: str
    prompt: str
    attempts: tuple[Attempt, ...]
    base_rev: str | None = None
    # Context (history not written by an agent): it lands unjudged, with no hook, so
    # that the judged tasks after it apply to the tree they were written on.
    context: bool = False
    # Where the task came from in a history (``charter sim import git``): the commit and
    # its committer date, so that a decision's ``adopted:`` point can be placed.
    commit: str | None = None
    date: datetime.date | None = None


@dataclass(frozen=True)
class RepoSource:
    """The base repository: a plain folder, a git bundle, or a git URL at a revision."""

    kind: Literal["folder", "bundle", "git"]
    location: str  # absolute folder/bundle path, or the URL
    rev: str | None = None


@dataclass(frozen=True)
class Scenario:
    folder: Path
    name: str
    description: str
    repo: RepoSource
    oracle: Path
    constraint_sets: Mapping[str, Path]
    recorded_with: str | None
    mode: Mode
    tasks: tuple[Task, ...]

    def constraint_set(self, name: str) -> Path:
        try:
            return self.constraint_sets[name]
        except KeyError:
            known = ", ".join(sorted(self.constraint_sets)) or "none"
            raise CharterError(
                f"{self.folder / 'scenario.yaml'}: scenario {self.name!r} has no constraint "
                f"set {name!r}; its sets: {known}"
            ) from None


def _models() -> Any:
    """The pydantic models of scenario.yaml (built on first use: pydantic is heavy)."""
    from pydantic import BaseModel, ConfigDict, Field

    class Strict(BaseModel):
        model_config = ConfigDict(extra="forbid", strict=True)

    class AttemptModel(Strict):
        patch: str = Field(min_length=1)
        message: str = Field(min_length=1)
        outcome: Outcome | None = None

    class TaskModel(Strict):
        id: str = Field(pattern=TASK_ID)
        prompt: str = ""
        base_rev: str | None = None
        context: bool = False
        commit: str | None = Field(default=None, pattern=r"^[0-9a-f]{7,40}$")
        date: datetime.date | None = Field(default=None, strict=False)
        attempts: list[AttemptModel] = Field(min_length=1)

    class BundleModel(Strict):
        bundle: str = Field(min_length=1)
        rev: str = "HEAD"

    class GitModel(Strict):
        git: str = Field(min_length=1)
        rev: str = Field(min_length=1)

    class ScenarioModel(Strict):
        schema_: Literal["charter-scenario/1"] = Field(alias="schema")
        name: str = Field(pattern=NAME)
        description: str = ""
        repo: str | BundleModel | GitModel
        oracle: str
        constraint_sets: dict[str, str] = Field(min_length=1)
        recorded_with: str | None = None
        mode: Mode = "chained"
        tasks: list[TaskModel] = Field(min_length=1)

    return ScenarioModel


def _line_map(text: str) -> dict[Loc, int]:
    import yaml

    lines: dict[Loc, int] = {(): 1}

    def walk(node: yaml.Node, path: Loc) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                key_path = (*path, str(key.value))
                lines[key_path] = key.start_mark.line + 1
                walk(value, key_path)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                item_path = (*path, index)
                lines[item_path] = item.start_mark.line + 1
                walk(item, item_path)

    try:
        node = boundedyaml.compose(text)
    except yaml.YAMLError:
        return lines
    if node is not None:
        walk(node, ())
    return lines


def _line(lines: Mapping[Loc, int], loc: Loc) -> int:
    path: Loc = ()
    for part in loc:
        if (*path, part) in lines:
            path = (*path, part)
    return lines.get(path, 1)


class _Problems:
    def __init__(self, file: Path, lines: Mapping[Loc, int]) -> None:
        self.file, self.lines, self.items = file, lines, list[str]()

    def add(self, loc: Loc, message: str) -> None:
        where = field_path(loc)
        self.items.append(
            f"{self.file}:{_line(self.lines, loc)}: {where + ': ' if where else ''}{message}"
        )

    def raise_if_any(self) -> None:
        if self.items:
            raise CharterError("invalid scenario:\n  " + "\n  ".join(self.items))


def inside(folder: Path, rel: str) -> tuple[Path | None, str | None]:
    """``folder / rel`` if it stays inside ``folder`` (symlinks followed), else a problem."""
    if not rel or rel.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", rel):
        return None, f"{rel!r} is an absolute path; write it relative to the scenario folder"
    if "\0" in rel:
        return None, f"{rel!r} is not a path"
    root = folder.resolve()
    target = folder / rel
    lexical = Path(*(p for p in Path(rel).parts if p not in ("", ".")))
    if ".." in lexical.parts:
        return None, f"{rel!r} leaves the scenario folder ('..'); keep every file inside it"
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError) as exc:
        return None, f"{rel!r} cannot be resolved ({exc})"
    if resolved != root and root not in resolved.parents:
        return None, f"{rel!r} is a symlink leading out of the scenario folder; copy the file in"
    if not target.exists():
        return None, f"{rel!r} does not exist in {folder}"
    return resolved, None


def _symlinks_out(root: Path) -> list[str]:
    """Symlinks inside the fixture folder ``root`` whose target is outside it."""
    bad: list[str] = []
    resolved_root = root.resolve()
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            target = path.resolve()
            if target != resolved_root and resolved_root not in target.parents:
                bad.append(path.relative_to(root).as_posix())
    return bad


def load(path: Path) -> Scenario:
    """Load and check the scenario in folder ``path`` (or its ``scenario.yaml``)."""
    import yaml
    from pydantic import ValidationError

    folder = path.parent if path.name == "scenario.yaml" else path
    file = folder / "scenario.yaml"
    if not file.is_file():
        raise CharterError(f"{file}: no scenario here; a scenario is a folder with scenario.yaml")
    try:
        text = file.read_text(encoding="utf-8")
        data = boundedyaml.load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise CharterError(f"{file}: cannot read it ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise CharterError(f"{file}:{line}: not valid YAML: {problem}") from None
    problems = _Problems(file, _line_map(text))
    if not isinstance(data, dict):
        problems.add(
            (), "expected a mapping with schema, name, repo, oracle, constraint_sets, tasks"
        )
        problems.raise_if_any()
    assert isinstance(data, dict)
    if data.get("schema") != SCHEMA:
        problems.add(("schema",), f"expected {SCHEMA!r}, got {data.get('schema')!r}")
        problems.raise_if_any()
    try:
        model = _models().model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(p for p in error["loc"] if not _is_union_tag(p))
            message = error["msg"]
            if error["type"] == "extra_forbidden":
                message = "unknown field; remove it or check its spelling"
            elif error["type"] == "missing":
                message = "required field is missing"
            problems.add(loc, f"{message} (got {_short(error.get('input'))})")
        problems.raise_if_any()
    return _resolve(model, folder, problems)


def _is_union_tag(part: object) -> bool:
    return isinstance(part, str) and (
        part in ("str", "BundleModel", "GitModel") or part.startswith(("literal[", "function-"))
    )


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Placer:
    """Resolves scenario-relative paths inside the scenario folder, noting problems."""

    def __init__(self, folder: Path, problems: _Problems) -> None:
        self.folder, self.problems = folder, problems

    def __call__(self, loc: Loc, rel: str, want_dir: bool | None = None) -> Path:
        resolved, problem = inside(self.folder, rel)
        if problem is not None:
            self.problems.add(loc, problem)
            return self.folder / "?"
        assert resolved is not None
        if want_dir is True and not resolved.is_dir():
            self.problems.add(loc, f"{rel!r} is not a folder")
        if want_dir is False and not resolved.is_file():
            self.problems.add(loc, f"{rel!r} is not a file")
        return resolved


def _resolve(model: Any, folder: Path, problems: _Problems) -> Scenario:
    place = _Placer(folder, problems)
    repo = _repo(model.repo, place, problems)
    oracle = place(("oracle",), model.oracle, want_dir=True)
    sets: dict[str, Path] = {}
    for name, rel in model.constraint_sets.items():
        if not re.match(NAME, name):
            problems.add(("constraint_sets", name), f"{name!r} is not a valid set name")
        sets[name] = place(("constraint_sets", name), rel, want_dir=True)
    if model.recorded_with is not None and model.recorded_with not in sets:
        problems.add(
            ("recorded_with",),
            f"{model.recorded_with!r} is not one of the constraint sets ({', '.join(sets)})",
        )
    tasks = _tasks(model, repo, place, problems)
    problems.raise_if_any()
    return Scenario(
        folder=folder.resolve(),
        name=model.name,
        description=model.description,
        repo=repo,
        oracle=oracle,
        constraint_sets=sets,
        recorded_with=model.recorded_with,
        mode=model.mode,
        tasks=tasks,
    )


def _repo(repo_model: Any, place: _Placer, problems: _Problems) -> RepoSource:
    if isinstance(repo_model, str):
        repo_folder = place(("repo",), repo_model, want_dir=True)
        if repo_folder.is_dir():
            if (repo_folder / ".git").exists():
                problems.add(("repo",), "the folder fixture holds a .git; ship a bundle instead")
            for link in _symlinks_out(repo_folder):
                problems.add(("repo",), f"{link!r} in the fixture is a symlink leading out of it")
        return RepoSource("folder", str(repo_folder))
    if hasattr(repo_model, "bundle"):
        bundle = place(("repo", "bundle"), repo_model.bundle, want_dir=False)
        return RepoSource("bundle", str(bundle), repo_model.rev)
    return RepoSource("git", repo_model.git, repo_model.rev)


def _tasks(model: Any, repo: RepoSource, place: _Placer, problems: _Problems) -> tuple[Task, ...]:
    tasks: list[Task] = []
    seen: dict[str, int] = {}
    for t_index, task in enumerate(model.tasks):
        if task.id in seen:
            problems.add(
                ("tasks", t_index, "id"), f"duplicate task id (also tasks[{seen[task.id]}])"
            )
        seen[task.id] = t_index
        if task.base_rev is not None and (model.mode != "independent" or repo.kind == "folder"):
            problems.add(
                ("tasks", t_index, "base_rev"),
                "base_rev needs mode: independent and a git repo (bundle or git URL)",
            )
        attempts: list[Attempt] = []
        for a_index, attempt in enumerate(task.attempts):
            loc: Loc = ("tasks", t_index, "attempts", a_index, "patch")
            patch = place(loc, attempt.patch, want_dir=False)
            if patch.is_file():
                _check_patch(patch, loc, problems)
            attempts.append(Attempt(patch, attempt.patch, attempt.message, attempt.outcome))
        tasks.append(
            Task(
                task.id,
                task.prompt,
                tuple(attempts),
                task.base_rev,
                task.context,
                task.commit,
                task.date,
            )
        )
    return tuple(tasks)


def _check_patch(patch: Path, loc: Loc, problems: _Problems) -> None:
    try:
        text = patch.read_bytes().decode("utf-8", "surrogateescape")
    except OSError as exc:
        problems.add(loc, f"cannot read {patch}: {exc}")
        return
    if not text.strip():
        problems.add(loc, f"{patch.name} is empty; a patch is a unified diff (git diff)")
    for line, problem in patches.problems(text):
        problems.add(loc, f"{patch.name}:{line}: {problem}; patches may only touch the repo")
