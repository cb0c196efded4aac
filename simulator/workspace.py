"""One replay's repository inside a sandbox: git, pre-commit and ``charter`` commands.

Everything that changes the repository or asks Charter something runs as a real command
in the sandbox (``git``, ``pre-commit``, the installed ``charter``), so the hooks that
decide are the ones a user's commit runs. The oracle's decision records live in
``.git/charter-sim/oracle`` — inside ``.git``, so git never sees, stages or commits them,
and ``--decisions`` (which must stay inside the repository) can point at them.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from charter.hooks.errors import CharterError
from charter.hooks.kinds import CHANGE_KINDS
from charter.simulator import hunks
from charter.simulator.records import TreeReport, Violation
from charter.simulator.sandbox import warm
from charter.simulator.sandbox.base import ExecResult, InfraError, Sandbox
from charter.simulator.scenario import Scenario

# pre-commit's report of a hook that exited neither 0 nor 1 (Charter: 2 usage, 3 bug).
HOOK_ERROR = re.compile(r"^- exit code: ([2-9]|\d\d+)$", re.MULTILINE)
WORK = "work"
ORACLE = ".git/charter-sim/oracle"
# The whole set under test, adoption points ignored: what each try would break of the
# rules not yet adopted (recurrence, adoption.py).
GUARDS = ".git/charter-sim/guards"
NO_BASELINE = ".git/charter-sim/no-baseline.json"
PATCH = "tmp/patch.diff"
ORACLE_MESSAGE = "tmp/oracle-message.txt"
HOOK_MESSAGE = "tmp/commit-message.txt"
SET_MESSAGE = "tmp/set-message.txt"
REVERT = "tmp/revert.diff"
P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class Check:
    """What the workspace reads of a ``charter-check/1`` document."""

    violations: tuple[Violation, ...]
    waived: int


def _violations(findings: list[Any], what: str) -> tuple[Violation, ...]:
    """``charter what``'s findings as violations: as much of each as identifies it."""
    try:
        fields = Violation.model_fields
        return tuple(Violation.model_validate({k: v[k] for k in fields}) for v in findings)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise InfraError(f"charter {what}: a malformed finding ({exc})") from None


def precommit_config(commit_msg: bool, one_stage: bool = False) -> str:
    """A ``.pre-commit-config.yaml`` running the installed ``charter`` (offline).

    ``one_stage``: both hooks run at the commit-msg stage, so a commit starts pre-commit
    once, not twice; the staged change is the same there (the replay stages everything,
    so there is nothing unstaged to stash) and the commit fails when either hook fails.
    """
    check_stage = "commit-msg" if one_stage and commit_msg else "pre-commit"
    hooks = [
        "      - id: charter-check\n"
        "        name: charter check\n"
        "        entry: charter check --staged\n"
        "        language: system\n"
        "        pass_filenames: false\n"
        "        always_run: true\n"
        "        require_serial: true\n"
        f"        stages: [{check_stage}]\n"
    ]
    if commit_msg:
        hooks.append(
            "      - id: charter-commit-msg\n"
            "        name: charter commit-msg\n"
            "        entry: charter commit-msg\n"
            "        language: system\n"
            "        always_run: true\n"
            "        require_serial: true\n"
            "        stages: [commit-msg]\n"
        )
    return (
        "# Written by charter sim: Charter's hooks, run from the installed charter.\n"
        "repos:\n  - repo: local\n    hooks:\n" + "".join(hooks)
    )


@dataclass(frozen=True)
class Flag:
    """One finding of the set under test on the staged change, as an agent reads it."""

    decision: str
    path: str
    line: int
    remedy: bool  # the message says how to comply, not only what is wrong


class Workspace:
    """The repository at ``work/`` in ``sandbox``, with the commands the replay needs."""

    def __init__(self, sandbox: Sandbox, timeout: float = 120.0, hooks: str = "pre-commit") -> None:
        self.sandbox = sandbox
        self.timeout = timeout
        self.hooks = hooks
        # The fast try (issue 18) comes with the resident driver: Charter in-process for
        # the oracle and drift, pre-commit started once per commit.
        self.one_stage = sandbox.resident
        self.decisions = "docs/decisions"
        self.baseline = ".charter/baseline.json"
        self.has_commit_msg = False
        self.has_fix = False
        self.has_context = False
        self._install_cache: dict[str, str] = {}
        self.clean_at: str | None = None  # a commit the tree and index are known to match
        self._set_dir: Path | None = None
        # The set's last findings on the staged change, keyed by (commands run, message).
        self._findings: tuple[tuple[int, str | None], tuple[list[Any], list[Any]]] | None = None

    # -- commands -------------------------------------------------------------------

    def run(self, argv: Sequence[str], *, cwd: str = WORK, **kwargs: Any) -> ExecResult:
        result = self.sandbox.exec(argv, cwd=cwd, timeout=self.timeout, **kwargs)
        if result.timed_out:
            raise InfraError(f"{' '.join(argv[:3])} timed out after {self.timeout:g} s")
        return result

    def git(self, *args: str, check: bool = True) -> ExecResult:
        result = self.run(["git", *args])
        if check and result.returncode != 0:
            raise InfraError(f"git {' '.join(args[:2])} failed: {result.output.strip()[-500:]}")
        return result

    def charter(self, *args: str) -> ExecResult:
        result = self.sandbox.charter(args, cwd=WORK, timeout=self.timeout)
        if result.timed_out:
            raise InfraError(f"charter {' '.join(args[:2])} timed out after {self.timeout:g} s")
        return result

    def _check(self, *args: str) -> Check:
        """The violations and waived count of a ``charter-check/1`` document."""
        data = self._document(*args)
        try:
            findings, waived = data["violations"], int(data["summary"].get("waived", 0))
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise InfraError(f"charter {args[0]}: a malformed finding ({exc})") from None
        return Check(_violations(findings, args[0]), waived)

    def _document(self, *args: str) -> dict[str, Any]:
        """A ``charter-check/1`` document, read (JSON from another program: only here)."""
        result = self.charter(*args, "--format", "json")
        if result.returncode not in (0, 1):
            raise InfraError(f"charter {' '.join(args)} failed: {result.stderr.strip()[-500:]}")
        try:
            data = json.loads(result.stdout)
        except ValueError as exc:
            raise InfraError(f"charter {args[0]} wrote no JSON document: {exc}") from None
        if not isinstance(data, dict) or data.get("schema") != "charter-check/1":
            found = data.get("schema") if isinstance(data, dict) else None
            raise InfraError(f"charter {args[0]}: unexpected schema {found!r}")
        return data

    # -- set up ---------------------------------------------------------------------

    def setup(self, scenario: Scenario, set_dir: Path) -> str:
        """Lay the repository down with ``set_dir`` installed; the base commit's id."""
        source = scenario.repo
        if source.kind == "folder":
            self.sandbox.put_dir(Path(source.location), WORK)
            self.git("init", "-q", "-b", "main")
        else:
            url = source.location
            if source.kind == "bundle":
                self.sandbox.write("tmp/base.bundle", Path(url).read_bytes())
                url = self.sandbox.path("tmp/base.bundle")
            result = self.run(["git", "clone", "-q", "--no-checkout", url, WORK], cwd=".")
            if result.returncode != 0:
                raise InfraError(f"cannot clone the scenario's repository: {result.stderr}")
            self.git("checkout", "-q", "--detach", source.rev or "HEAD")
            self.git("remote", "remove", "origin")
        self._probe()
        self._read_config()
        self.sandbox.put_dir(scenario.oracle, f"{WORK}/{ORACLE}")
        self._set_dir = set_dir
        return self.install_set("HEAD" if source.kind != "folder" else None)

    def _probe(self) -> None:
        """Which commands the installed charter offers (built elsewhere, may be missing)."""
        for command, attr in (("commit-msg", "has_commit_msg"), ("fix", "has_fix")):
            setattr(self, attr, self.charter(command, "--help").returncode == 0)
        self.has_context = self.charter("context", "--help").returncode == 0

    def _read_config(self) -> None:
        result = self.charter("config", "--json")
        if result.returncode != 0:
            raise CharterError(
                f"the scenario's repository has a bad Charter configuration: {result.stderr}"
            )
        config = json.loads(result.stdout)
        self.decisions = str(config["decisions"]["value"])
        self.baseline = str(config["baseline"]["value"])

    def install_set(self, rev: str | None) -> str:
        """Commit the constraint set and the hooks on ``rev`` (None: the work tree)."""
        key = rev or ""
        if key in self._install_cache:
            return self._install_cache[key]
        assert self._set_dir is not None
        if rev is not None:
            # A rejected try leaves its change staged: checking another base out over it
            # fails (or carries the change along), so the tree is cleaned first.
            if self.clean_at is None:
                self.git("reset", "-q", "--hard")
                self.git("clean", "-q", "-fd")
            self.git("checkout", "-q", "--detach", rev)
        self.git("rm", "-r", "-q", "--cached", "--ignore-unmatch", self.decisions)
        self.run(["rm", "-rf", self.decisions])
        self.sandbox.put_dir(self._set_dir, f"{WORK}/{self.decisions}")
        if not any(self._set_dir.glob("*.md")):  # keep an empty set's folder in git
            self.sandbox.write(f"{WORK}/{self.decisions}/.gitkeep", b"")
        config = precommit_config(self.has_commit_msg, self.one_stage).encode()
        self.sandbox.write(f"{WORK}/.pre-commit-config.yaml", config)
        if not self._install_cache and self.hooks == "pre-commit":
            self._install_hooks()
        self.git("add", "-A")
        self.git("commit", "-q", "--no-verify", "--allow-empty", "-m", "charter sim: base")
        head = self.head()
        self._install_cache[key] = head
        self.clean_at = head
        return head

    def _install_hooks(self) -> None:
        """``pre-commit install`` of the stages the commit runs; with the warm hook
        server (sandbox/warm.py), each git hook then runs pre-commit's ``hook-impl``
        through its client: the same pre-commit and Charter, without their start-ups."""
        stages = ["commit-msg"] if self.one_stage else ["pre-commit", "commit-msg"]
        if not self.has_commit_msg:
            stages = ["pre-commit"]
        hooks = [arg for stage in stages for arg in ("--hook-type", stage)]
        result = self.run(["pre-commit", "install", "-f", *hooks])
        if result.returncode != 0:
            raise InfraError(f"pre-commit install failed: {result.output.strip()}")
        folder = self.sandbox.warm_hooks()
        if folder is None:
            return
        hook_dir = self.sandbox.path(f"{WORK}/.git/hooks")
        for stage in stages:
            script = warm.hook(f"{folder}/pre-commit", stage, hook_dir)
            self.sandbox.write(f"{WORK}/.git/hooks/{stage}", script.encode())
            self.run(["chmod", "+x", f".git/hooks/{stage}"])

    def adopt(self, files: Sequence[Path], note: str) -> str:
        """Commit, on the clean HEAD, the decisions now in force (some of the set's
        files); the new commit. The commit skips the hooks: adopting a rule is the team's
        act, not a task's."""
        self.git("rm", "-r", "-q", "--cached", "--ignore-unmatch", self.decisions)
        self.run(["rm", "-rf", self.decisions])
        for file in files:
            self.sandbox.write(f"{WORK}/{self.decisions}/{file.name}", file.read_bytes())
        if not files:
            self.sandbox.write(f"{WORK}/{self.decisions}/.gitkeep", b"")
        self.git("add", "-A")
        self.git("commit", "-q", "--no-verify", "--allow-empty", "-m", f"charter sim: {note}")
        head = self.head()
        self.clean_at = head
        return head

    def put_guards(self, set_dir: Path) -> None:
        self.sandbox.put_dir(set_dir, f"{WORK}/{GUARDS}")

    # -- attempts -------------------------------------------------------------------

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").stdout.strip()

    def reset(self, rev: str) -> None:
        if self.clean_at == rev:
            return
        self.git("reset", "-q", "--hard", rev)
        self.git("clean", "-q", "-fd")
        self.clean_at = rev

    def apply(self, patch: bytes) -> str:
        """Apply a patch to the tree: ``clean``, ``3way`` or ``diverged`` (tree reset)."""
        self.clean_at = None
        self.sandbox.write(PATCH, patch)
        path = self.sandbox.path(PATCH)
        if self.git("apply", "--whitespace=nowarn", path, check=False).returncode == 0:
            return "clean"
        if self.git("apply", "--3way", "--whitespace=nowarn", path, check=False).returncode == 0:
            return "3way"
        return "diverged"

    def stage(self) -> bool:
        """Stage everything; False when nothing changed."""
        self.git("add", "-A")
        return self.git("diff", "--cached", "--quiet", check=False).returncode == 1

    def commit(self, message: str, *, no_verify: bool = False) -> ExecResult:
        """``git commit``; a hook that fails with an error (not a verdict) is an InfraError."""
        self.clean_at = None
        if self.hooks == "direct" and not no_verify:
            return self._commit_direct(message)
        args = ["commit", "-q", "-m", message]
        result = self.git(*args, *(["--no-verify"] if no_verify else []), check=False)
        if result.returncode != 0:
            if warm.LOST in result.output:
                raise InfraError(f"git commit: {warm.LOST}")
            broken = HOOK_ERROR.search(result.output)
            if broken:
                raise InfraError(
                    f"a hook failed with exit code {broken.group(1)} (an error, not a "
                    f"verdict): {result.output.strip()[-800:]}"
                )
        return result

    def _commit_direct(self, message: str) -> ExecResult:
        """``--hooks direct``: Charter's two hooks called as pre-commit would call them
        (``charter check --staged``; ``charter commit-msg`` on the message file), then
        ``git commit --no-verify`` when both pass."""
        started = time.perf_counter()
        verdicts = [self.charter("check", "--staged")]
        if self.has_commit_msg:
            self.sandbox.write(HOOK_MESSAGE, f"{message}\n".encode())
            verdicts.append(self.charter("commit-msg", self.sandbox.path(HOOK_MESSAGE)))
        output = "".join(v.output for v in verdicts)
        broken = [v.returncode for v in verdicts if v.returncode not in (0, 1)]
        if broken:
            raise InfraError(
                f"a hook failed with exit code {broken[0]} (an error, not a verdict): "
                f"{output.strip()[-800:]}"
            )
        if any(v.returncode for v in verdicts):
            return ExecResult(1, "", output, time.perf_counter() - started)
        return self.git("commit", "-q", "--no-verify", "-m", message, check=False)

    def staged_files(self) -> list[str]:
        out = self.git("diff", "--cached", "--name-only", "-z").stdout
        return [p for p in out.split("\0") if p]

    def drop_files(self, base: str, files: Sequence[str]) -> None:
        """Undo the staged change of ``files`` (back to ``base``; new files removed)."""
        present = set(self.git("ls-tree", "-r", "--name-only", "-z", base).stdout.split("\0"))
        restore = [f for f in files if f in present]
        remove = [f for f in files if f not in present]
        self.clean_at = None
        if restore:
            self.git("checkout", base, "--", *restore)
        if remove:
            self.git("rm", "-q", "-f", "--cached", "--ignore-unmatch", "--", *remove)
            self.run(["rm", "-f", "--", *remove])

    # -- measuring ------------------------------------------------------------------

    def oracle_staged(self, message: str, folder: str = ORACLE) -> tuple[Violation, ...]:
        """The violations the staged change introduces, by the oracle (or by the
        decisions in ``folder``, such as :data:`GUARDS`).

        ``charter check --staged`` judges the code; ``charter commit-msg`` (when the
        installed charter has it) adds the diff-level kinds, with the commit's message
        in view (a ``Charter-Waive:`` trailer waives for the oracle too).
        """
        args = ("check", "--staged", "--decisions", folder, "--baseline", NO_BASELINE)
        violations = list(self._check(*args).violations)
        if self.has_commit_msg:
            self.sandbox.write(ORACLE_MESSAGE, message.encode())
            msgfile = self.sandbox.path(ORACLE_MESSAGE)
            diff = self._check("commit-msg", "--decisions", folder, msgfile)
            # Its other findings (governance) are about the constraint set under test,
            # not true violations: keep those of the kinds that judge the change.
            violations.extend(v for v in diff.violations if v.kind in CHANGE_KINDS)
        return tuple(violations)

    def set_staged(self, message: str | None = None) -> tuple[Violation, ...]:
        """The violations the set under test reports on the staged change: the code's
        (``check --staged``) and, given the try's ``message`` and a charter that has
        it, the change's and governance's (``commit-msg``)."""
        staged, diff = self._set_findings(message)
        found = list(_violations(staged, "check"))
        # commit-msg re-reports the staged code's findings: keep each rule's once.
        seen = {(v.constraint, v.path, v.key) for v in found}
        found.extend(
            v for v in _violations(diff, "commit-msg") if (v.constraint, v.path, v.key) not in seen
        )
        return tuple(found)

    def _set_findings(self, message: str | None) -> tuple[list[Any], list[Any]]:
        """The raw findings of the set under test on the staged change: ``check
        --staged``'s and, given ``message`` and a charter that has it, ``commit-msg``'s.

        Read once per staged change: a blocked try's attribution (``set_staged``) and
        the reactive agent's reading of it (``set_flags``) share them, as long as no
        command ran in between (none could have changed the index or HEAD)."""
        if self._findings is not None and self._findings[0] == (self.sandbox.commands, message):
            return self._findings[1]
        staged = list(self._document("check", "--staged")["violations"])
        diff: list[Any] = []
        if self.has_commit_msg and message is not None:
            self.sandbox.write(SET_MESSAGE, message.encode())
            path = self.sandbox.path(SET_MESSAGE)
            diff = list(self._document("commit-msg", path)["violations"])
        self._findings = ((self.sandbox.commands, message), (staged, diff))
        return staged, diff

    def oracle_all(self) -> TreeReport:
        args = ("--all", "--decisions", ORACLE, "--baseline", NO_BASELINE)
        found = self._check("check", *args)
        return TreeReport(violations=found.violations, waived=found.waived)

    def python_files(self) -> dict[str, bytes]:
        """The committed tree's Python files (one ``git archive``, read back whole)."""
        from charter.simulator.architecture import python_files

        rel = f"{WORK}/.git/charter-python-files.tar"  # .git: never part of the tree
        self.git("archive", "--format=tar", "-o", self.sandbox.path(rel), "HEAD", "--", "*.py")
        raw = self.sandbox.read(rel)
        return python_files(raw) if raw else {}

    def waivers(self) -> int:
        """The inline waivers in the tree, read by Charter's one reader of them
        (``charter waivers``: one line per waiver, in any comment syntax)."""
        result = self.charter("waivers")
        if result.returncode != 0:
            return 0
        return sum(1 for line in result.stdout.splitlines() if line.strip())

    def baseline_size(self) -> int:
        raw = self.sandbox.read(f"{WORK}/{self.baseline}")
        if raw is None:
            return 0
        try:
            entries = json.loads(raw).get("entries", [])
        except (ValueError, AttributeError):
            return 0
        return len(entries) if isinstance(entries, list) else 0

    def set_flags(self, message: str) -> tuple[Flag, ...]:
        """What the set under test says of the staged change: ``check --staged`` and,
        when installed, ``commit-msg`` (diff-level kinds, governance) on ``message``."""
        staged, diff = self._set_findings(message)
        return tuple(
            Flag(
                decision=str(v.get("decision", "")),
                path=str(v.get("path", "")),
                line=int(v.get("line") or 0),
                remedy=bool(str(v.get("remedy") or "").strip()),
            )
            for v in (*staged, *diff)
        )

    def context_decisions(self, paths: Sequence[str]) -> frozenset[str]:
        """The ids of the decisions ``charter context`` gives an agent for ``paths``."""
        if not self.has_context or not paths:
            return frozenset()
        result = self.charter("context", "--format", "json", "--", *paths)
        if result.returncode != 0:
            return frozenset()
        try:
            decisions = json.loads(result.stdout).get("decisions", [])
        except (ValueError, AttributeError):
            return frozenset()
        return frozenset(str(d.get("id")) for d in decisions if isinstance(d, dict))

    def revert_flagged(self, flags: Sequence[Flag]) -> bool:
        """Undo the staged hunks holding a flagged line (index and tree); False when
        nothing the flags point at is in the change."""
        lines: dict[str, list[int]] = {}
        for flag in flags:
            lines.setdefault(flag.path, []).append(flag.line)
        diff = self.git("diff", "--cached", "-U0", "--no-color", "--no-renames").stdout
        part = hunks.flagged(diff, lines)
        if not part:
            return False
        self.clean_at = None
        self.sandbox.write(REVERT, part.encode("utf-8", "surrogateescape"))
        args = ("apply", "-R", "--index", "--unidiff-zero", "--whitespace=nowarn")
        return self.git(*args, self.sandbox.path(REVERT), check=False).returncode == 0

    def passes(self, command: str, timeout: float, task: str) -> bool:
        """Does ``sh -c command`` pass (exit 0, in time) in the work tree, with the task's
        id in ``CHARTER_TASK_ID``? What it leaves behind is cleaned away before the next
        task."""
        env = {"PYTHONDONTWRITEBYTECODE": "1", "CHARTER_TASK_ID": task}
        result = self.sandbox.exec(["sh", "-c", command], cwd=WORK, timeout=timeout, env=env)
        self.clean_at = None
        return not result.timed_out and result.returncode == 0

    def context(self, prompt: str) -> str | None:
        """``charter context --task PROMPT`` when that command exists."""
        if not self.has_context:
            return None
        result = self.charter("context", "--task", prompt)
        return result.stdout if result.returncode == 0 else None


def timed(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> tuple[T, float]:
    """What ``fn`` returns, and how long it took (ms)."""
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, (time.perf_counter() - start) * 1000
