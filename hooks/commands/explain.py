"""``charter explain ID``: what a decision (or one constraint) checks, why, with examples.

``ID`` is a decision id (``ADR-0007``) or a constraint id (``ADR-0007/2``). A decision
that is not in force (deprecated, superseded, rejected) is named with its status; an
unknown id is a usage error with the closest ids.
"""

from __future__ import annotations

import argparse

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK, CharterError

HELP = "explain a decision: what it checks, why, a violation and its fix"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument("id", help="a decision id (ADR-0007) or a constraint id (ADR-0007/2)")


def run(args: argparse.Namespace) -> int:
    import difflib

    from charter.hooks.agents.explain import explain
    from charter.hooks.agents.records import load_records
    from charter.hooks.decisions import load

    settings = settings_from(args)
    records = load_records(settings)
    wanted = args.id.strip()
    for record in records:
        if wanted == record.id or wanted in (rule.id for rule in record.rules):
            only = None if wanted == record.id else wanted
            print(explain(record, only), end="")
            return EXIT_OK
    headers = load.load_folder(settings.root, settings.decisions).headers
    for header in headers:
        if header.id == wanted:
            raise CharterError(
                f"{header.path}: {wanted} is {header.status}: not in force, nothing to explain"
            )
    known = [r.id for r in records] + [rule.id for r in records for rule in r.rules]
    close = difflib.get_close_matches(wanted, known, n=3)
    hint = f" (did you mean {' or '.join(close)}?)" if close else ""
    raise CharterError(
        f"no decision or constraint {wanted!r} in {settings.decisions}{hint}; "
        "`charter validate -v` lists them"
    )
