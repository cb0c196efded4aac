"""Every git call Charter makes, and its one error policy.

``run`` is the call: a failure raises ``CharterError`` naming the command and git's own
message (git missing altogether is said as such). ``optional`` is the same call for the
questions whose "no" is an answer, not an error (no ``HEAD`` yet, no such config key,
outside a repository): it returns None when git exits non-zero. Nothing else in Charter
starts ``git`` but ``early.py``, which this module builds on: it spells the questions
asked most, starts a read-only one (``early.spawn``), and asks the first of them before
Charter is imported; the simulator's host-side calls use ``run`` too.

``.git`` is located here once: ``repository`` (the nearest work tree above a folder)
and ``is_repository`` (``early`` walks up the same way, before ``pathlib`` is imported).
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

from charter.hooks.errors import CharterError
from charter.hooks.source import early
from charter.hooks.source.early import HEAD_EXISTS as HEAD_EXISTS  # questions spelled there
from charter.hooks.source.early import STAGED_PATHS as STAGED_PATHS
from charter.hooks.source.early import configs_question as configs_question
from charter.hooks.source.early import raw_diff_question as raw_diff_question
from charter.hooks.source.early import renames_question as renames_question
from charter.hooks.source.early import tree_of as tree_of

NOT_INSTALLED = "git is not installed; Charter needs it to read snapshots"


def run(root: Path, *args: str) -> bytes:
    """git's stdout; a non-zero exit raises ``CharterError`` with git's message."""
    result = _call(root, args)
    if result.returncode:
        stderr = result.stderr.decode("utf-8", "replace").strip()
        raise CharterError(f"git {' '.join(args)} failed: {stderr}")
    return result.stdout


def optional(root: Path, *args: str) -> bytes | None:
    """git's stdout, or None when git says no (a non-zero exit)."""
    result = _call(root, args)
    return None if result.returncode else result.stdout


def text(root: Path, *args: str) -> str | None:
    """``optional`` as stripped text ('' stays '')."""
    output = optional(root, *args)
    return None if output is None else output.decode("utf-8", "replace").strip()


def call(
    root: Path, *args: str, extra_env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """The finished process, for the callers that read git's stderr (signature checks,
    with ``extra_env`` such as a ``GNUPGHOME`` holding the approvers' keys)."""
    return _call(root, args, extra_env)


def _call(
    root: Path,
    args: Sequence[str],
    extra_env: Mapping[str, str] | None = None,
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    started = _started(root, args) if extra_env is None and stdin is None else None
    if started is not None:
        stdout, stderr = started.communicate()
        return subprocess.CompletedProcess(started.args, started.returncode, stdout, stderr)
    env = {**early.environment(), **(extra_env or {})}
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, env=env, input=stdin)
    except FileNotFoundError:
        raise CharterError(NOT_INSTALLED) from None


# Questions started before they are asked (``ahead``): (root, arguments) -> the process.
_AHEAD: dict[tuple[Path, tuple[str, ...]], subprocess.Popen[bytes]] = {}


def _started(root: Path, args: Sequence[str]) -> subprocess.Popen[bytes] | None:
    """The process already answering ``args`` at ``root`` (``ahead``, or ``early``)."""
    return _AHEAD.pop((root, tuple(args)), None) or early.take(root, args)


@contextlib.contextmanager
def ahead(root: Path, *commands: Sequence[str]) -> Iterator[None]:
    """Start read-only commands now, all at once, whose answers the block will ask for:
    ``run`` and ``optional`` with the same arguments take the started process's answer
    instead of starting git again. Whatever the block did not ask is stopped when it
    ends, so no answer outlives the state it was read from (a resident process judges
    many commits)."""
    keys = []
    for command in commands:
        key = (root, tuple(command))
        if key in _AHEAD:
            continue
        try:
            _AHEAD[key] = early.take(root, command) or early.spawn(root, command, subprocess.PIPE)
        except FileNotFoundError:
            break  # the question, asked in the block, says that git is missing
        keys.append(key)
    try:
        yield
    finally:
        unasked = [_AHEAD.pop(key) for key in keys if key in _AHEAD]
        Running(unasked).stop()


class Running:
    """Read-only git commands started together (``start``), each writing to a pipe."""

    def __init__(self, procs: list[subprocess.Popen[bytes]]) -> None:
        self.procs = procs
        self._outputs: list[bytes] | None = None

    def wait(self) -> list[bytes] | None:
        """Each command's stdout; None when any of them failed."""
        if self._outputs is None:
            self._outputs = [proc.communicate()[0] for proc in self.procs]
        failed = any(proc.returncode for proc in self.procs)
        return None if failed else self._outputs

    def stop(self) -> None:
        """End the commands whose output is no longer wanted (they only read)."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.communicate()


def start(root: Path, *commands: Sequence[str]) -> Running:
    """Start several read-only commands at once; ``wait()`` for their output."""
    try:
        procs = [
            _started(root, command) or early.spawn(root, command, subprocess.DEVNULL)
            for command in commands
        ]
    except FileNotFoundError:
        raise CharterError(NOT_INSTALLED) from None
    return Running(procs)


# -- where the repository is ------------------------------------------------------------
def is_repository(root: Path) -> bool:
    """Whether ``root`` is the top of a git work tree (``.git`` is a folder or a file)."""
    return (root / ".git").exists()


def repository(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that is a work tree's top; None if none."""
    for folder in (start, *start.parents):
        if is_repository(folder):
            return folder
    return None


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest folder above ``start`` (default: the current
    one) holding ``.git``; ``start`` itself outside any repository."""
    here = (start or Path.cwd()).resolve()
    return repository(here) or here


def common_dir(root: Path) -> Path:
    """The git folder shared by every worktree of the clone (``.git`` of the main one)."""
    common = text(root, "rev-parse", "--git-common-dir") or ".git"
    return (root / common).resolve()


# -- questions about commits ------------------------------------------------------------
def resolve(root: Path, *revs: str) -> dict[str, str | None]:
    """The object id each revision names (None: it names nothing), in one git call: the
    questions a hook asks together (``HEAD``, ``MERGE_HEAD``, ...)."""
    result = _call(
        root, ("cat-file", "--batch-check"), stdin="".join(f"{r}\n" for r in revs).encode()
    )
    found: dict[str, str | None] = dict.fromkeys(revs)
    if result.returncode:
        return found
    lines = result.stdout.decode("utf-8", "replace").splitlines()
    for rev, line in zip(revs, lines, strict=False):  # one line per revision
        fields = line.split()
        if len(fields) == 3 and fields[0] != rev:  # "<id> <type> <size>", else "<rev> missing"
            found[rev] = fields[0]
    return found


def head_exists(root: Path) -> bool:
    return optional(root, *HEAD_EXISTS) is not None


def head(root: Path) -> str | None:
    return text(root, "rev-parse", "-q", "--verify", "HEAD") or None


def merge_head(root: Path) -> str | None:
    """The commit being merged while a merge is committed (``MERGE_HEAD``), or None."""
    return text(root, "rev-parse", "-q", "--verify", "MERGE_HEAD^{commit}") or None


def branch(root: Path) -> str | None:
    return text(root, "symbolic-ref", "-q", "--short", "HEAD") or None


def tree_id(root: Path, rev: str) -> str:
    """The id of the tree of a commit: it names the commit's content exactly."""
    return run(root, *tree_of(rev)).decode().strip()


def config(root: Path, key: str) -> str | None:
    """A git configuration value; None when unset."""
    return text(root, "config", "--get", key) or None


def configs(root: Path, *keys: str) -> dict[str, str | None]:
    """Several configuration values (None: unset) in one git call; as ``config``, the
    last value of a key given more than once wins."""
    found: dict[str, str | None] = dict.fromkeys(keys)
    wanted = {key.lower(): key for key in keys}
    output = optional(root, *configs_question(*keys)) or b""
    for record in output.decode("utf-8", "replace").split("\0"):
        name, _, value = record.partition("\n")
        if name in wanted:
            found[wanted[name]] = value or None
    return found


def staged_diff(root: Path) -> bytes:
    """The staged change as a binary patch (empty when there is none or no repository)."""
    return optional(root, "diff", "--cached", "--binary", "--no-color", "--no-ext-diff") or b""


def raw_diff(root: Path, base: str, target: str | None) -> bytes:
    """The ``-z`` raw records (both sides' modes and blob ids, one path each) of what
    changes from the commit ``base`` to ``target`` (another commit; None: the index,
    ``GIT_INDEX_FILE``'s when git sets it)."""
    return run(root, *raw_diff_question(base, target))


def staged_paths(root: Path) -> list[str]:
    output = optional(root, *STAGED_PATHS) or b""
    return [p.decode("utf-8", "surrogateescape") for p in output.split(b"\0") if p]


def log(root: Path, rev: str, fmt: str) -> list[str]:
    """``git log --format=fmt rev`` split on the record separator (0x1e) ``fmt`` ends with;
    a branch with no commit yet has an empty history."""
    result = _call(root, ("log", f"--format={fmt}", rev, "--"))
    stderr = result.stderr.decode("utf-8", "replace")
    if result.returncode and "does not have any commits" in stderr:
        return []
    if result.returncode:
        raise CharterError(f"git log {rev} failed: {stderr.strip()}")
    return result.stdout.decode("utf-8", "replace").split("\x1e")


def message(root: Path, rev: str) -> str:
    """The commit message of ``rev`` as stored."""
    return run(root, "log", "-1", "--format=%B", rev, "--").decode("utf-8", "replace")


def parents(root: Path, rev: str) -> list[str]:
    """The parents of a commit (none for a root commit)."""
    return run(root, "rev-list", "--parents", "-n", "1", rev, "--").decode().split()[1:]


def commits_between(root: Path, base: str | None, tip: str) -> list[str]:
    """The commits reachable from ``tip`` but not from ``base``, oldest first."""
    span = f"{base}..{tip}" if base else tip
    output = run(root, "rev-list", "--reverse", "--topo-order", span, "--")
    return output.decode().split()


def null_separated(output: bytes) -> list[str]:
    """Paths of a ``-z`` listing."""
    return [p for p in output.decode("utf-8", "surrogateescape").split("\0") if p]


# -- reading objects ----------------------------------------------------------------------
class BlobReader:
    """One ``git cat-file --batch`` process that reads blobs by id, started on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._proc: subprocess.Popen[bytes] | None = None

    def read(self, sha: str) -> bytes | None:
        if self._proc is None:
            try:
                self._proc = subprocess.Popen(
                    ["git", "cat-file", "--batch"],
                    cwd=self.root,
                    env=early.environment(),
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                )
            except FileNotFoundError:
                raise CharterError(NOT_INSTALLED) from None
        stdin, stdout = self._proc.stdin, self._proc.stdout
        assert stdin is not None and stdout is not None
        stdin.write(sha.encode() + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3:
            return None
        data = _read_exactly(stdout, int(header[2]))
        stdout.read(1)  # the newline after the object
        return data

    def close(self) -> None:
        if self._proc is not None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            self._proc.wait()
            self._proc = None


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks = []
    while size > 0:
        chunk = stream.read(size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)
