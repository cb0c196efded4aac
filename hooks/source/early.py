"""git's first questions, asked before the rest of Charter is imported.

A warm ``charter check`` of the work tree waits on git's walk of its folders (~50 ms on
Django's 6,800 files) more than on anything else, and the staged check asks git five
questions before it can judge. Started by the ``charter`` process (``launch.entry``)
before Charter's modules are imported (~30 ms), those answers are computed while
Python imports, instead of after (issue 15).

Only what the command line alone decides is started: ``check`` of the work tree and
``check --staged``, with none but the flags that cannot change what is asked or where
(anything else, such as ``--root`` or ``--to-ref``, and the command is left to start
its own questions), the work tree's listing for the Claude Code hook on an edit, and
the index's listing when no listing of it can be kept (a fresh clone, or the index
written since: a commit's staging).
``git.ahead``, ``git.start`` and ``git.run`` adopt a started process only when they ask
exactly its question at exactly its root; ``stop`` ends the ones nobody asked for when
the process exits. This module imports nothing of Charter's: the questions, and how a
read-only question is started, are spelled here, and ``git.py`` takes them from here.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time

# Nothing more is imported before the questions start (not even ``typing``, which brings
# ``re``, ``enum`` and ``collections``): the names are for the type checker only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

HEAD_EXISTS = ("rev-parse", "--verify", "-q", "HEAD")
STAGED_PATHS = ("diff", "--cached", "--name-only", "-z", "--no-renames")
INDEX_LISTING = ("ls-files", "--stage", "-z")
# What differs in the work tree from the index: modified, deleted and new files.
TREE_CHANGES = ("ls-files", "-z", "-t", "--modified", "--deleted", "--others", "--exclude-standard")

# Where a repository's readings are kept (``<.git>/charter/``), and the name the index's
# kept listing starts with: ``listing.py`` keeps them there, ``_listing_kept`` looks.
KEPT_FOLDER = "charter"
KEPT_LISTING = "index-listing-"

# ``check``'s flags that change neither the snapshot judged nor the repository.
_NEUTRAL_FLAGS = frozenset({"--all", "--staged", "--debug", "--no-cache"})

# (root, arguments) -> the process started for them, until adopted or stopped.
_STARTED: dict[tuple[str, tuple[str, ...]], subprocess.Popen[bytes]] = {}
# root -> a ``clock`` reading from before the work tree's listing (``TREE_CHANGES``) was
# started there: ``snapshot.WorkTree`` trusts git's blob ids only for files left
# unchanged since then. Read only where that listing is started.
_TREE_LISTED_AT: dict[str, int | None] = {}


def tree_of(rev: str) -> tuple[str, ...]:
    """The question whose answer is the tree id of ``rev`` (None: no such commit)."""
    return ("rev-parse", "--verify", "-q", f"{rev}^{{tree}}")


def renames_question(base: str, target: str | None) -> tuple[str, ...]:
    """git's arguments for the renames from the commit ``base`` to ``target`` (another
    commit; None: the index)."""
    to = "--cached" if target is None else target
    return ("diff", "-M", "-z", "--name-status", "--no-ext-diff", base, to, "--")


def configs_question(*keys: str) -> tuple[str, ...]:
    """The question whose answer is the values of the config ``keys`` (``git.configs``)."""
    # A key is letters, digits, '-' and dots: the dot (and '-', as ``re.escape`` does)
    # escaped, without importing ``re`` before the questions start.
    escaped = (key.lower().replace(".", "\\.").replace("-", "\\-") for key in keys)
    return ("config", "-z", "--get-regexp", "^(" + "|".join(escaped) + ")$")


def raw_diff_question(base: str, target: str | None) -> tuple[str, ...]:
    """The question whose answer is the ``-z`` raw records of what changed from the
    commit ``base`` to ``target`` (another commit; None: the index) (``git.raw_diff``)."""
    plain = ("-z", "--raw", "--no-renames", "--no-ext-diff")
    if target is None:
        return ("diff-index", "--cached", *plain, base, "--")
    return ("diff-tree", "-r", "--no-commit-id", *plain, base, target, "--")


# What the commit-msg hook reads of the config: how git cleans the message it stores.
MESSAGE_CONFIG = ("core.commentChar", "commit.cleanup")


def message_questions() -> tuple[tuple[str, ...], ...]:
    """What the commit-msg hook asks first: the message's config and the staged change
    (the index's listing, unless kept, is asked by the caller)."""
    return (configs_question(*MESSAGE_CONFIG), raw_diff_question("HEAD", None))


def staged_questions() -> tuple[tuple[str, ...], ...]:
    """What judging the index asks first: the staged paths and the base (``HEAD``, its
    tree, the renames from it). The index's listing is asked by the caller, unless kept."""
    return (STAGED_PATHS, HEAD_EXISTS, tree_of("HEAD"), renames_question("HEAD", None))


def environment() -> dict[str, str]:
    """The environment of every git process Charter starts."""
    # ``git replace`` can show a clean commit in place of the one recorded: Charter
    # always judges the objects themselves.
    return {**os.environ, "GIT_NO_REPLACE_OBJECTS": "1"}


def start(argv: Sequence[str]) -> None:
    """Start the questions the command line ``argv`` (without the program) will ask."""
    questions = _questions(argv)
    root = _repository(os.getcwd()) if questions else None
    if root is None:
        return
    if not _listing_kept(root):
        questions = (*questions, INDEX_LISTING)
    if TREE_CHANGES in questions:
        _TREE_LISTED_AT[root] = clock(root)
    for question in questions:
        try:
            _STARTED[(root, question)] = spawn(root, question, subprocess.PIPE)
        except OSError:
            return  # git missing: the question, asked again, says so


def spawn(
    root: os.PathLike[str] | str, question: Sequence[str], stderr: int
) -> subprocess.Popen[bytes]:
    """One read-only git command started at ``root``, its output to a pipe."""
    return subprocess.Popen(
        ["git", *question], cwd=root, stdout=subprocess.PIPE, stderr=stderr, env=environment()
    )


def take(root: os.PathLike[str] | str, question: Sequence[str]) -> subprocess.Popen[bytes] | None:
    """The process started for ``question`` at ``root``, now the caller's (None: none)."""
    if not _STARTED:
        return None
    return _STARTED.pop((os.fspath(root), tuple(question)), None)


def tree_listed_at(root: os.PathLike[str] | str) -> int | None:
    """A ``clock`` reading from before the work tree's listing (``TREE_CHANGES``) was
    started at ``root``: before the process ``take`` would give, else now (the caller
    is about to start it)."""
    root = os.fspath(root)
    if (root, TREE_CHANGES) in _STARTED:
        return _TREE_LISTED_AT[root]
    return clock(root)


def clock(root: str) -> int | None:
    """The earlier of this machine's clock and the file system's at ``root`` (ns since
    the epoch), or None when the file system's cannot be read.

    A file's times come from the clock of whatever stores it: a network file system's
    server may run behind this machine. The file system's clock is read off a file made
    (and removed) in ``<root>/.git/charter/``, as git compares its files' times with its
    index file's, never with the machine's clock.
    """
    folder = os.path.join(root, ".git", KEPT_FOLDER)
    marker = os.path.join(folder, f"clock-{os.getpid()}-{time.monotonic_ns()}")
    now = time.time_ns()
    try:
        if not os.path.isdir(folder):
            os.mkdir(folder)  # fails where ``.git`` is not a folder
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return None
    try:
        return min(now, os.fstat(fd).st_ctime_ns)
    except OSError:
        return None
    finally:
        os.close(fd)
        try:  # noqa: SIM105 - contextlib is not imported yet at this point
            os.unlink(marker)
        except OSError:
            pass


def stop() -> None:
    """End the started questions nobody asked (they only read)."""
    while _STARTED:
        _, process = _STARTED.popitem()
        if process.poll() is None:
            process.kill()
        process.communicate()


def _questions(argv: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    if "GIT_DIR" in os.environ:
        return ()
    argv = [arg for arg in argv if arg != "--resident"]  # where it runs, not what it asks
    if argv == ["hook", "claude"]:
        return (TREE_CHANGES,) if _edits_a_file() else ()
    if argv and argv[0] == "commit-msg":
        # The message file, and no flag that may change the repository or the config.
        plain = len(argv) == 2 and not argv[1].startswith("-")
        return message_questions() if plain else ()
    if not argv or argv[0] != "check" or os.environ.get("PRE_COMMIT_TO_REF"):
        return ()  # another command, or pre-commit's pre-push stage (a range)
    flags = [arg for arg in argv[1:] if arg.startswith("-")]
    if not _NEUTRAL_FLAGS.issuperset(flags):
        return ()
    return staged_questions() if "--staged" in flags else (TREE_CHANGES,)


def _edits_a_file() -> bool:
    """Whether the Claude Code hook's payload (its standard input) names a file, as an
    edit's does and a shell command's does not: the hook then lists the work tree.

    The input is read here and put back, the same bytes decoded as before, for the hook
    to read; the repository guessed is the one the hook runs in (Claude Code's project).
    """
    stream = sys.stdin
    if stream is None or not hasattr(stream, "buffer") or stream.isatty():
        return False
    try:
        data = stream.buffer.read()
    except (OSError, ValueError):
        return False
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding=stream.encoding, errors=stream.errors)
    return b'"file_path"' in data


def _listing_kept(root: str) -> bool:
    """Whether a listing of the index as it is now may be kept (``listing.IndexCache``,
    which checks it by the index's digest): one was written after the index was. When
    none can be (a fresh clone, a commit's new index), the index's listing is asked now."""
    git_dir = os.path.join(root, ".git")
    index = os.path.join(root, os.environ.get("GIT_INDEX_FILE") or os.path.join(".git", "index"))
    try:
        changed = os.stat(index).st_mtime_ns
        with os.scandir(os.path.join(git_dir, KEPT_FOLDER)) as entries:
            kept = [e.stat().st_mtime_ns for e in entries if e.name.startswith(KEPT_LISTING)]
    except OSError:
        return False
    return any(written >= changed for written in kept)


def _repository(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` holding ``.git``, as ``git.find_root``
    finds it (symbolic links resolved); None outside a repository."""
    here = os.path.realpath(folder)
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent
