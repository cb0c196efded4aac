"""``charter journal``: the commit attempts the hooks recorded (docs/journal.md)."""

from __future__ import annotations

import argparse

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK

HELP = "list the commit attempts recorded with journal = true (CHARTER_JOURNAL=1)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument("--json", action="store_true", help="one JSON attempt per line")
    parser.add_argument("--limit", type=int, metavar="N", help="only the last N attempts")


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from charter.hooks import journal

    settings = settings_from(args)
    attempts, problems = journal.read_attempts(settings.root)
    for problem in problems:
        print(
            f"{journal.folder(settings.root) / journal.ATTEMPTS}:{problem.line}: {problem.message}",
            file=sys.stderr,
        )
    if args.limit is not None:
        attempts = attempts[-args.limit :] if args.limit > 0 else []
    if not attempts and not args.json:
        state = "on" if settings.journal else "off (set journal = true or CHARTER_JOURNAL=1)"
        print(f"no attempts recorded; the journal is {state}")
    for attempt in attempts:
        if args.json:
            print(json.dumps(attempt.as_json(), sort_keys=True))
            continue
        head = (attempt.head or "(no commit)")[:10]
        subject = (attempt.message or "").split("\n", 1)[0]
        ids = sorted({v["decision"] for v in attempt.violations})
        files = attempt.fields.get("files", [])
        print(
            f"{attempt.time[:19]}  {attempt.outcome:<8}  {head}  "
            f"{len(files)} file(s)  {attempt.fields.get('latency_ms', 0):.0f} ms"
            + (f"  {', '.join(ids)}" if ids else "")
            + (f"  {subject}" if subject else "")
        )
    return EXIT_OK
