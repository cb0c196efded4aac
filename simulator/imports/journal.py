"""``charter sim import journal``: a scenario from a repository's attempt journal.

Reads ``<git common dir>/charter/journal/attempts.jsonl`` (docs/journal.md): each
``pre-commit`` record, joined with the ``commit-msg`` record that follows it with the
same ``head`` and ``diff``, is an attempt (rejected when either is). Attempts with the
same ``branch`` and ``head``, in order, are one task, ending at its first accepted
attempt. When every
task starts where the previous one left the repository, the scenario is ``chained`` on
a folder fixture of the first task's base; otherwise it is ``independent`` on a git
bundle, each task at its own ``base_rev``. The repository's decisions at the first base
become the set ``recorded`` (the outcomes' set). The oracle is asked for (``--oracle
DIR``) and refused when it is a copy of the recorded set.
"""

from __future__ import annotations

import itertools
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from charter.hooks import journal as hooks_journal
from charter.hooks.errors import CharterError
from charter.simulator import scenario
from charter.simulator.imports.common import (
    ORACLE_NOTE,
    AttemptEntry,
    ScenarioFile,
    TaskEntry,
    copy_oracle,
    export_tree,
    finish,
    git,
    refuse_circular,
    writing,
)


@dataclass
class JournalAttempt:
    head: str
    diff: str  # blob name
    outcome: str
    message: str | None
    time: str
    branch: str = ""


@dataclass
class JournalTask:
    head: str
    branch: str = ""
    attempts: list[JournalAttempt] = field(default_factory=list)

    @property
    def landed(self) -> bool:
        return any(a.outcome == "accepted" for a in self.attempts)


def journal_dir(repo: Path) -> Path:
    return hooks_journal.folder(repo)


def read(repo: Path) -> tuple[list[JournalTask], list[str]]:
    """The tasks in the journal, and warnings about records that were skipped.

    The attempts are the hooks' own (``charter.hooks.journal.read_attempts``); an
    attempt the simulator cannot replay is skipped with a warning.
    """
    file = journal_dir(repo) / hooks_journal.ATTEMPTS
    if not file.is_file():
        raise CharterError(
            f"{file}: no attempt journal; record one with journal = true in [tool.charter] "
            "or CHARTER_JOURNAL=1 while committing"
        )
    found, problems = hooks_journal.read_attempts(repo)
    warnings = [f"{file}:{problem.line}: {problem.message}" for problem in problems]
    attempts: list[JournalAttempt] = []
    for attempt in found:
        where = f"{file}:{attempt.line}"
        if not attempt.head or not isinstance(attempt.diff, str):
            warnings.append(f"{where}: an attempt without a parent commit; skipped")
        elif attempt.outcome not in ("accepted", "rejected"):
            warnings.append(f"{where}: verdict {attempt.outcome!r} (hook error); skipped")
        elif not (file.parent / "blobs" / attempt.diff).is_file():
            warnings.append(f"{where}: diff blob {attempt.diff} is missing; skipped")
        else:
            attempts.append(
                JournalAttempt(
                    attempt.head,
                    attempt.diff,
                    attempt.outcome,
                    attempt.message,
                    attempt.time,
                    str(attempt.fields.get("branch") or ""),
                )
            )
    tasks: list[JournalTask] = []
    for item in attempts:
        current = tasks[-1] if tasks else None
        # A task is one (branch, HEAD): an agent that gives up and starts the next task
        # on a new branch at the same HEAD begins a new task.
        key = (item.branch, item.head)
        if current is None or (current.branch, current.head) != key or current.landed:
            current = JournalTask(item.head, item.branch)
            tasks.append(current)
        current.attempts.append(item)
    return tasks, warnings


def _chained(repo: Path, tasks: list[JournalTask]) -> bool:
    for before, after in itertools.pairwise(tasks):
        if before.landed:
            if _parent(repo, after.head) != before.head:
                return False
        elif after.head != before.head:
            return False
    return True


def _parent(repo: Path, rev: str) -> str | None:
    """The first parent of ``rev``; None for a root commit (``rev^`` would be an error)."""
    commits = git(repo, "rev-list", "--parents", "-n", "1", rev).split()
    return commits[1] if len(commits) > 1 else None


def import_journal(
    repo: Path, out_dir: Path, oracle: Path, name: str | None = None
) -> tuple[scenario.Scenario, list[str]]:
    """Write a scenario from ``repo``'s journal into ``out``; the scenario and warnings.
    ``oracle``: the decision records that label real violations (not the recorded set)."""
    from charter.hooks import settings

    repo = repo.resolve()
    tasks, warnings = read(repo)
    if not tasks:
        raise CharterError(f"{journal_dir(repo)}: the journal holds no replayable attempt")
    with writing(out_dir) as out:
        chained = _chained(repo, tasks)
        first = tasks[0].head
        decisions = settings.load(repo)[0].decisions
        recorded = out / "constraints" / "recorded"
        if not export_tree(repo, first, recorded, decisions):
            recorded.mkdir(parents=True, exist_ok=True)
        copy_oracle(oracle, out / "constraints" / "oracle")
        refuse_circular(out / "constraints" / "oracle", {"recorded": recorded})
        repo_entry: str | dict[str, str] = "repo/"
        if chained:
            export_tree(repo, first, out / "repo")
        else:
            git(repo, "bundle", "create", str(out / "repo.bundle"), "--all")
            repo_entry = {"bundle": "repo.bundle", "rev": first}
        data = ScenarioFile(
            name=name or _name(repo.name),
            description=f"Imported from the attempt journal of {repo.name}.",
            repo=repo_entry,
            constraint_sets={"recorded": "constraints/recorded/"},
            recorded_with="recorded",
            mode="chained" if chained else "independent",
            tasks=_entries(repo, out, tasks, chained),
        )
        readme = (
            f"# {data.name}\n\nImported by `charter sim import journal` from {len(tasks)} "
            f"tasks of the attempt journal ({data.mode}).\n\n{ORACLE_NOTE}\n"
        )
        finish(out, data, readme)  # validated before it is moved into place
    return scenario.load(out_dir.absolute()), warnings


def _entries(
    repo: Path, out: Path, tasks: list[JournalTask], chained: bool
) -> tuple[TaskEntry, ...]:
    """The tasks of scenario.yaml, each attempt's diff copied into ``out``."""
    blobs = journal_dir(repo) / "blobs"
    entries: list[TaskEntry] = []
    for t_index, task in enumerate(tasks):
        ident = f"T{t_index + 1:03d}"
        landed_message = None
        if task.landed and t_index + 1 < len(tasks) and chained:
            landed_message = git(repo, "log", "-1", "--format=%B", tasks[t_index + 1].head).strip()
        attempts = []
        for a_index, attempt in enumerate(task.attempts, start=1):
            rel = f"tasks/{ident}/{a_index}.diff"
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(blobs / attempt.diff, out / rel)
            message = attempt.message or (landed_message if attempt.outcome == "accepted" else None)
            text = (message or f"{ident} attempt {a_index}").strip()
            attempts.append(AttemptEntry(rel, text, attempt.outcome))
        prompt = next(
            (a.message for a in attempts if a.outcome == "accepted"), attempts[0].message
        ).splitlines()[0]
        base_rev = None if chained else task.head
        entries.append(TaskEntry(ident, prompt, tuple(attempts), base_rev))
    return tuple(entries)


def _name(text: str) -> str:
    import re

    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    return cleaned if cleaned and cleaned[0].isalnum() else "imported"
