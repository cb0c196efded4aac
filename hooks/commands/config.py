"""``charter config``: the effective configuration and where each value came from."""

from __future__ import annotations

import argparse

from charter.hooks.commands.options import add_config_flags, settings_with_origins

HELP = "print the effective configuration and where each value came from"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of TOML")


def run(args: argparse.Namespace) -> int:
    from charter.hooks import settings

    _, values = settings_with_origins(args)
    if args.json:
        import json

        data = {key: {"value": values[key].value, "source": values[key].source} for key in values}
        print(json.dumps(data, indent=2, sort_keys=True, default=list))
    else:
        print(settings.render(values))
    return 0
