"""``charter commit-msg MSGFILE``: the commit-msg hook (``charter-commit-msg``).

Judges the staged change as a whole, with the message in view:

- the diff-level kinds ``protected`` and ``co-change`` of the staged decisions; a
  ``Charter-Waive: ADR-0012 -- reason`` trailer waives a decision's (or constraint's)
  violations for this commit;
- governance integrity (``charter.hooks.governance``): a change that weakens the rules
  blocks unless a ``Charter-Approved-By: name`` trailer approves it.

The verdict is ``charter.hooks.verdict.judge_change``; this module reads the message.

The message is cleaned as git will store it (``message.cleanup_mode``: ``commit.cleanup``,
or git's default for a commit with or without an editor); only its trailers are read,
and the checks run whatever the message says. Both trailers stay in the history:
``charter waivers --history`` lists them.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from charter.hooks.commands.options import (
    add_config_flags,
    add_resident_flag,
    root_of,
    settings_from,
    write_report,
)
from charter.hooks.errors import CharterError
from charter.hooks.source.early import MESSAGE_CONFIG, message_questions

HELP = "commit-msg hook: protected and co-change rules, waiver trailers, governance integrity"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument("message_file", metavar="MSGFILE", help="the commit message file")
    add_resident_flag(parser, "docs/hooks.md")
    parser.add_argument(
        "--format", choices=("text", "json", "sarif", "github"), help="output format"
    )


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    from charter.hooks.source import git

    root = root_of(args)
    with git.ahead(root, *_questions(root)):
        # Imported while git answers: the judgement asks for the config and the diff.
        from charter.hooks import message
        from charter.hooks.source.snapshot import Index
        from charter.hooks.verdict import judge_change

        settings = settings_from(args, Index)  # the staged settings: what the commit holds
        raw = _read(args.message_file)
        config = git.configs(root, *MESSAGE_CONFIG)
        comment_char = config["core.commentChar"]
        # git runs the commit-msg hook with GIT_EDITOR=: when no editor was used (-m, -F).
        editor_used = os.environ.get("GIT_EDITOR") != ":"
        mode = message.cleanup_mode(config["commit.cleanup"], editor_used)
        char = comment_char if comment_char not in (None, "auto") else "#"
        parsed = message.parse(raw, char, mode)
        verdict = judge_change(settings, parsed)
    write_report(verdict.report(root), settings.format)
    if settings.journal:
        from charter.hooks import journal

        latency = (time.perf_counter() - started) * 1000
        warning = journal.try_record(
            root, "commit-msg", verdict.exit_code, latency, verdict.errors, parsed.text
        )
        if warning:
            print(f"charter: {warning}", file=sys.stderr)
    return verdict.exit_code


def _questions(root: Path) -> list[tuple[str, ...]]:
    """What judging the staged change asks git, started at once so that the answers
    overlap each other and the imports: the message's config, the change from ``HEAD``
    (``changes``) and, unless the listing is cached, the index's listing. The
    ``charter`` process started them already, before its imports (``early.py``)."""
    from charter.hooks.source.snapshot import index_questions

    return [*message_questions(), *index_questions(root)]


def _read(path: str) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8", "replace")
    except OSError as exc:
        raise CharterError(f"{path}: cannot read the commit message: {exc.strerror}") from None
