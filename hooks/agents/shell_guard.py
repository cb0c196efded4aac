"""Shell commands that would slip past Charter's hooks, refused before an agent runs them.

Claude Code asks ``charter hook claude`` before every ``Bash`` command. The checks that
guard a commit are git hooks, and an agent can run git without them: ``--no-verify``
(``-n`` on ``git commit``, any unambiguous abbreviation of it), another
``core.hooksPath``, pre-commit's ``SKIP=`` and ``PRE_COMMIT_ALLOW_NO_CONFIG``, removing
or rewriting ``.git/hooks``, ``pre-commit uninstall``, plumbing that writes commits or
moves refs without any hook (``commit-tree``, ``update-ref``, ``replace``, ...), or
rewriting ``.pre-commit-config.yaml`` or a decision record from the shell, where
Charter cannot judge the edit (the ``Edit`` tool is judged, see ``claude_hook``).

The command is split as a shell would (``shlex``), at ``;``, ``&&``, ``|`` and the like;
a quoted argument that is itself a command (``bash -c '...'``, an alias definition) is
read too. What the guard cannot see (a script written to a file and run) the CI range
check still judges.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator

HOOK_FILES = (".pre-commit-config.yaml", ".git/hooks", ".charter/approvers")
PLUMBING = {
    "commit-tree": "writes a commit object without running any hook",
    "update-ref": "moves a branch without running any hook",
    "replace": "swaps one commit for another behind every check",
    "fast-import": "writes commits without running any hook",
    "filter-branch": "rewrites history without running any hook",
    "filter-repo": "rewrites history without running any hook",
    "mktree": "writes trees by hand, for commits no hook sees",
    "hash-object": "writes objects by hand, for commits no hook sees",
}
WRITERS = {"rm", "mv", "cp", "chmod", "ln", "truncate", "unlink", "tee", "install", "shred"}
_SEPARATORS = {";", "&&", "||", "|", "&", "(", ")", "|&", ";;", "\n"}
_VALUE_FLAGS = "mFcCt"  # git commit's short options that take the rest as their value
_GIT_VALUE_OPTIONS = {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path"}
WHY = (
    "Charter's hooks are how this repository's architecture decisions are enforced; "
    "commit through them (fix what they report), or ask a maintainer."
)


def refusal(command: str, decisions: str) -> str | None:
    """Why the command may not run (None: it may)."""
    reasons = list(dict.fromkeys(_reasons(command, decisions.rstrip("/") + "/", depth=0)))
    if not reasons:
        return None
    listed = "\n".join(f"- {reason}" for reason in reasons)
    return f"Charter blocked this command: it would get around the commit checks.\n{listed}\n{WHY}"


def _reasons(command: str, decisions: str, depth: int) -> Iterator[str]:
    if "PRE_COMMIT_ALLOW_NO_CONFIG" in command:
        yield "PRE_COMMIT_ALLOW_NO_CONFIG lets commits through without any pre-commit config"
    if re.search(r"hookspath", command, re.IGNORECASE):
        yield "core.hooksPath points git at other hooks (or none): Charter's would not run"
    try:
        lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|()<>")
        lexer.whitespace_split = True
        tokens = list(lexer)
    except ValueError:
        tokens = command.split()
    for words in _commands(tokens):
        yield from _simple(words, decisions)
        if depth < 3:
            for word in words:
                if " " in word.strip():
                    yield from _reasons(word, decisions, depth + 1)


def _commands(tokens: list[str]) -> Iterator[list[str]]:
    current: list[str] = []
    for token in tokens:
        if token in _SEPARATORS:
            if current:
                yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current


def _simple(words: list[str], decisions: str) -> Iterator[str]:
    """The reasons to refuse one simple command (``VAR=x cmd args``)."""
    while words and (words[0] in ("env", "sudo", "command", "exec", "export") or "=" in words[0]):
        if words[0].startswith("SKIP="):
            yield "SKIP= tells pre-commit to skip hooks"
        words = words[1:]
    if not words:
        return
    program = words[0].rsplit("/", 1)[-1]
    redirected = [words[i + 1] for i, w in enumerate(words[:-1]) if w in (">", ">>")]
    if redirected and program not in WRITERS:
        yield from _writes(">", redirected, decisions)
    if program == "git":
        yield from _git(words[1:])
    elif program == "pre-commit" and words[1:2] == ["uninstall"]:
        yield "pre-commit uninstall removes Charter's hooks"
    if program in WRITERS or (program == "sed" and any(w.startswith("-i") for w in words)):
        yield from _writes(program, words[1:], decisions)


def _writes(program: str, targets: list[str], decisions: str) -> Iterator[str]:
    for word in targets:
        target = _relative(word)
        if any(target.startswith(name) for name in HOOK_FILES):
            yield f"{program} on {word} changes the hooks or who may approve"
        elif target.startswith(decisions):
            yield (
                f"{program} on {word} rewrites a decision record where Charter cannot "
                "judge it; edit it with the Edit tool"
            )


def _git(args: list[str]) -> Iterator[str]:
    index = 0
    while index < len(args) and args[index].startswith("-"):
        flag = args[index]
        index += 2 if flag in _GIT_VALUE_OPTIONS else 1
    if index >= len(args):
        return
    verb, rest = args[index], args[index + 1 :]
    if any(word.startswith("--no-v") and "--no-verify".startswith(word) for word in rest):
        yield f"git {verb} --no-verify skips Charter's hooks"
    if verb in PLUMBING:
        yield f"git {verb} {PLUMBING[verb]}"
    if verb == "commit" and any(_short_n(word) for word in rest):
        yield "git commit -n skips Charter's hooks (-n is --no-verify)"
    if verb in ("rm", "mv") and any(_relative(w).startswith(".pre-commit-config") for w in rest):
        yield f"git {verb} of .pre-commit-config.yaml removes Charter's hooks"
    if verb == "config" and any(word.lower().startswith("alias.") for word in rest):
        for value in rest[1:]:
            yield from _git(value.split())  # an alias runs its value as git's arguments


def _relative(word: str) -> str:
    while word.startswith("./"):
        word = word[2:]
    return word


def _short_n(word: str) -> bool:
    """Whether a cluster of short options (``-an``, ``-nm msg``) holds ``-n``."""
    if not word.startswith("-") or word.startswith("--"):
        return False
    for char in word[1:]:
        if char == "n":
            return True
        if char in _VALUE_FLAGS:
            return False
    return False
