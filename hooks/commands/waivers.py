"""``charter waivers``: every inline waiver in the repository, an audit trail.

``--history`` lists the commit trailers instead: each ``Charter-Waive:`` (a diff-level
violation accepted for one commit) and ``Charter-Approved-By:`` (a governance change
approved), with the commit, its author and date, from ``git log``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK

if TYPE_CHECKING:
    from charter.hooks.settings import Settings

HELP = "list every inline waiver (or, with --history, every waiver and approval trailer)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument(
        "--history",
        action="store_true",
        help="list Charter-Waive and Charter-Approved-By trailers from git log",
    )
    parser.add_argument("--rev", default="HEAD", help="history of this revision (default HEAD)")


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if args.history:
        _history(settings.root, args.rev)
    else:
        _inline(settings)
    return EXIT_OK


def _inline(settings: Settings) -> None:
    import datetime

    from charter.hooks import waivers
    from charter.hooks.source.cache import Cache
    from charter.hooks.source.snapshot import WorkTree
    from charter.hooks.view import SnapshotView

    view = SnapshotView(WorkTree(settings.root), settings, Cache(None))
    today = datetime.date.today()
    for path in view.files:
        text = view.text(path)
        if text is None or "charter:" not in text:
            continue
        for waiver in waivers.scan(path, text, today):
            until = f" until {waiver.until.isoformat()}" if waiver.until else ""
            status = f"  [{waiver.problem}]" if waiver.problem else ""
            print(
                f"{path}:{waiver.line}: {', '.join(waiver.ids)}{until} -- {waiver.reason}{status}"
            )


def _history(root: Path, rev: str) -> None:
    from charter.hooks import message
    from charter.hooks.source import git

    for record in git.log(root, rev, "%H%x1f%an <%ae>%x1f%as%x1f%B%x1e"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) != 4:
            continue
        sha, author, date, body = fields
        for key, value in message.trailers(body):
            if key.lower() in (message.WAIVE, message.APPROVED_BY):
                print(f"{sha[:10]} {date} {author}: {key}: {value}")
