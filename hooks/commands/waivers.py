"""``charter waivers``: every inline waiver in the repository, an audit trail."""

from __future__ import annotations

import argparse

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK

HELP = "list every inline waiver: where, for which decision, why, until when"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)


def run(args: argparse.Namespace) -> int:
    import datetime

    from charter.hooks import waivers
    from charter.hooks.context import Context
    from charter.hooks.source.cache import Cache
    from charter.hooks.source.snapshot import WorkTree

    settings, _ = settings_from(args)
    context = Context(WorkTree(settings.root), settings, Cache(None))
    today = datetime.date.today()
    for path in context.files:
        text = context.text(path)
        if text is None or "charter:" not in text:
            continue
        for waiver in waivers.scan(path, text, today):
            until = f" until {waiver.until.isoformat()}" if waiver.until else ""
            status = f"  [{waiver.problem}]" if waiver.problem else ""
            print(
                f"{path}:{waiver.line}: {', '.join(waiver.ids)}{until} -- {waiver.reason}{status}"
            )
    return EXIT_OK
