"""``charter hook claude``: Claude Code's PreToolUse hook for Edit, Write, MultiEdit, Bash.

A Bash command that would skip or disable the commit checks is refused with the reason
(``agents.shell_guard``); an edit is judged as below.

Reads the hook's JSON from stdin, applies the edit to the file's text in memory, checks
the result against the decisions in force and blocks (exit 2, the violations and their
remedies on stderr, which Claude reads) only the violations the edit introduces. Any
other tool, a file outside the repository or an edit that does not apply passes (exit
0). A problem of Charter's own (say, a malformed decision record) does not block the
agent: it is reported on stderr with exit 1, which Claude Code shows to the user.

With ``--resident``, the ``charter`` process hands the call to a warm server before this
module is imported (``launch.py``, ``resident.py``); the call is judged here all the same,
in the server's child.
"""

from __future__ import annotations

import argparse
import sys

from charter.hooks.commands.options import add_resident_flag
from charter.hooks.errors import CharterError

HELP = "agent hooks: `charter hook claude` checks Claude Code's edits before they are written"

EXIT_PASS, EXIT_NOTICE, EXIT_BLOCK = 0, 1, 2  # Claude Code's hook protocol


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("agent", choices=("claude",), help="the agent whose hook protocol to use")
    add_resident_flag(parser, "docs/agents.md")


def run(args: argparse.Namespace) -> int:
    from charter.hooks.agents import claude_hook

    payload = sys.stdin.read()
    try:
        verdict = claude_hook.judge(payload)
    except CharterError as exc:
        print(f"charter: cannot check this edit: {exc}", file=sys.stderr)
        return EXIT_NOTICE
    if verdict is None:
        return EXIT_PASS
    print(verdict, file=sys.stderr)
    return EXIT_BLOCK
