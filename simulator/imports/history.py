"""``charter sim import git``: a repository's history as a chained scenario.

Each commit of ``--range A..B`` (first-parent by default, every non-merge commit with
``--all``) is a task whose one recorded attempt is its diff against its (first) parent;
the tree at ``A`` is the base. With ``--agents`` only the commits an agent wrote (a
trailer or line matching an agent pattern) are judged; the others are context that
lands unjudged. What cannot be replayed is recorded as a divergence with its reason:
merges under ``--all`` (their changes arrive through their parents), submodule
changes (a gitlink has no content to apply), empty diffs. The oracle is asked for.

How a task is judged solved (docs/simulator-agents.md, task success): ``--success CMD``
gives every judged task the same test; ``--success-from-tests RUNNER`` gives each commit
that changed test files (``test_*.py``, ``*_test.py``) its own, ``RUNNER`` followed by
those files — the tests the recorded change touched, run on what the agent landed.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from charter.hooks.errors import CharterError
from charter.simulator import scenario
from charter.simulator.imports.common import (
    ORACLE_NOTE,
    AttemptEntry,
    ScenarioFile,
    SuccessEntry,
    TaskEntry,
    export_tree,
    finish,
    git,
    git_bytes,
    safe_id,
    write_sets,
    writing,
)

#: Lines that say an agent wrote a commit (case-insensitive); ``--agent-pattern`` adds.
AGENT_PATTERNS = (
    r"^co-authored-by:.*\b(claude|copilot|codex|cursor|devin|aider|openhands|gemini)\b",
    r"generated with .*(claude|copilot|codex|cursor|devin|aider|openhands|gemini)",
    r"^(assisted|generated)-by:",
)
SUBMODULE = "160000"
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # what a root commit is diffed against


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    message: str
    date: str  # the committer date, ISO (YYYY-MM-DD)


@dataclass(frozen=True)
class SuccessSpec:
    """How the imported tasks are judged solved: one ``command`` for every task, and/or
    a ``runner`` given the test files each commit changed (that task's own test)."""

    command: str | None = None
    runner: str | None = None
    timeout: float = 300.0

    def scenario_entry(self) -> SuccessEntry | None:
        return None if self.command is None else SuccessEntry(self.command, self.timeout)

    def task_entry(self, tests: Sequence[str]) -> SuccessEntry | None:
        if self.runner is None or not tests:
            return None
        files = " ".join(shlex.quote(t) for t in tests)
        return SuccessEntry(f"{self.runner} {files}", self.timeout)


def is_test(path: str) -> bool:
    """A test module by the naming pytest and unittest discover."""
    name = path.rsplit("/", 1)[-1]
    return name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py"))


def tests_touched(repo: Path, commit: Commit) -> list[str]:
    """The test files ``commit`` added or changed that still exist after it."""
    parent = commit.parents[0] if commit.parents else EMPTY_TREE
    names = git(
        repo, "diff", "--name-only", "--no-renames", "--diff-filter=d", "-z", parent, commit.sha
    )
    return sorted(p for p in names.split("\0") if p and is_test(p))


@dataclass(frozen=True)
class History:
    """What the import made of the range: tasks, and what it left out and why."""

    tasks: tuple[TaskEntry, ...]
    divergences: tuple[str, ...]


def commits(repo: Path, range_: str, first_parent: bool) -> list[Commit]:
    if ".." not in range_:
        raise CharterError(f"--range {range_!r}: give two revisions, A..B")
    args = ["rev-list", "--reverse", "--topo-order", *(["--first-parent"] if first_parent else [])]
    listed = git(repo, *args, range_).split()
    found = []
    for sha in listed:
        parents = tuple(git(repo, "rev-list", "--parents", "-n1", sha).split()[1:])
        message = git(repo, "log", "-1", "--format=%B", sha).strip() or sha
        date = git(repo, "log", "-1", "--format=%cs", sha).strip()
        found.append(Commit(sha, parents, message, date))
    if not found:
        raise CharterError(f"--range {range_}: no commit in that range")
    return found


def by_agent(message: str, patterns: Sequence[str]) -> bool:
    return any(re.search(p, message, re.IGNORECASE | re.MULTILINE) for p in patterns)


def _diff(repo: Path, commit: Commit) -> tuple[bytes, list[str]]:
    """The commit's diff against its first parent, submodules left out (with reasons)."""
    parent = commit.parents[0] if commit.parents else EMPTY_TREE
    raw = git(repo, "diff", "--raw", "--no-renames", "-z", parent, commit.sha).split("\0")
    gitlinks = [raw[i + 1] for i in range(0, len(raw) - 1, 2) if SUBMODULE in raw[i].split()[:2]]
    excludes = [f":(exclude){p}" for p in gitlinks]
    diff = git_bytes(repo, "diff", "--binary", "-M", parent, commit.sha, "--", ".", *excludes)
    reasons = [
        f"{commit.sha[:10]}: submodule {p} left out (a gitlink has no content)" for p in gitlinks
    ]
    return diff, reasons


def tasks(
    repo: Path,
    listed: Sequence[Commit],
    out: Path,
    agents: Sequence[str] | None,
    success: SuccessSpec = SuccessSpec(),
) -> History:
    """Write each commit's diff into ``out``; the tasks and the divergences."""
    taken: set[str] = set()
    entries: list[TaskEntry] = []
    divergences: list[str] = []
    for commit in listed:
        subject = commit.message.splitlines()[0]
        if len(commit.parents) > 1 and _all_mode(listed, commit):
            divergences.append(f"{commit.sha[:10]}: merge left out (its parents' commits carry it)")
            continue
        diff, reasons = _diff(repo, commit)
        divergences.extend(reasons)
        if not diff.strip():
            divergences.append(f"{commit.sha[:10]}: empty diff ({subject})")
            continue
        ident = safe_id(f"{commit.sha[:10]}-{subject[:40]}", taken)
        rel = f"tasks/{ident}/1.diff"
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(diff)
        context = agents is not None and not by_agent(commit.message, agents)
        attempt = AttemptEntry(rel, commit.message, "accepted")
        own = None if context else success.task_entry(tests_touched(repo, commit))
        entries.append(
            TaskEntry(
                ident,
                commit.message,
                (attempt,),
                context=context,
                commit=commit.sha,
                date=commit.date,
                success=own,
            )
        )
    if not entries:
        raise CharterError("no commit of the range has a change to replay")
    return History(tuple(entries), tuple(divergences))


def _all_mode(listed: Sequence[Commit], commit: Commit) -> bool:
    # Under --first-parent a merge is the net change of its branch: replayed as one task.
    # Under --all its second parent's commits are tasks of their own already.
    return any(c.sha == commit.parents[1] for c in listed)


def import_history(
    repo: Path,
    range_: str,
    out: Path,
    oracle: Path,
    *,
    first_parent: bool = True,
    agents: Sequence[str] | None = None,
    name: str | None = None,
    sets: Mapping[str, Path] | None = None,
    success: SuccessSpec = SuccessSpec(),
) -> tuple[scenario.Scenario, list[str]]:
    """Write the scenario (all or nothing); the scenario and its divergences."""
    repo = repo.resolve()
    listed = commits(repo, range_, first_parent)
    start = range_.split("..")[0]
    with writing(out) as folder:
        export_tree(repo, start, folder / "repo")
        constraint_sets = write_sets(repo, start, folder, oracle, sets or {})
        history = tasks(repo, listed, folder, agents, success)
        data = ScenarioFile(
            name=name or safe_id(repo.name, set()),
            description=f"The history {range_} of {repo.name}, one task per commit.",
            repo="repo/",
            constraint_sets=constraint_sets,
            recorded_with="none",
            mode="chained",
            tasks=history.tasks,
            success=success.scenario_entry(),
        )
        judged = sum(not t.context for t in history.tasks)
        left_out = "".join(f"- {d}\n" for d in history.divergences) or "- none\n"
        readme = (
            f"# {data.name}\n\nImported by `charter sim import git` from {range_} "
            f"({'first-parent' if first_parent else 'all commits'}): {len(history.tasks)} "
            f"tasks, {judged} judged, {len(history.tasks) - judged} context.\n\n"
            f"{ORACLE_NOTE}\n\n{_success_note(history.tasks, success)}"
            f"## Left out\n\n{left_out}"
        )
        finish(folder, data, readme)
    return scenario.load(out.absolute()), list(history.divergences)


def _success_note(entries: Sequence[TaskEntry], success: SuccessSpec) -> str:
    """The README's paragraph on how the tasks are judged solved."""
    own = sum(t.success is not None for t in entries)
    judged = sum(not t.context for t in entries)
    if success.command is None and success.runner is None:
        return "No success test: the report counts landed tasks, not solved ones.\n\n"
    parts = []
    if success.runner is not None:
        parts.append(
            f"{own} of {judged} judged tasks run the tests their commit changed "
            f"(`{success.runner} FILES`)"
        )
    if success.command is not None:
        rest = "the other tasks" if success.runner is not None else "every judged task"
        parts.append(f"{rest} run `{success.command}`")
    return "Success: " + "; ".join(parts) + f" (timeout {success.timeout:g} s).\n\n"
