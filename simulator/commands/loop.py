"""``charter sim loop``: the nightly learning loop, set beside the same set without it."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from charter.hooks.errors import CharterError
from charter.simulator.commands import options
from charter.simulator.commands.run import execute

HELP = "replay a set with and without a nightly loop that adopts learned guards every N tasks"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", dest="set_name", required=True, metavar="NAME")
    parser.add_argument(
        "--learn-every",
        type=int,
        default=5,
        metavar="N",
        help="learn and adopt after every N judged tasks (default 5)",
    )
    parser.add_argument("--html", type=Path, metavar="FILE", help="also write the HTML report")
    options.run_options(parser)


def run(args: argparse.Namespace) -> int:
    if args.learn_every < 1:
        raise CharterError("--learn-every must be at least 1")
    request = options.simulation(args, (args.set_name,), compare=True, learning=True)
    request = replace(request, learn_every=args.learn_every)
    spec = options.sandbox_spec(args)
    return execute(request, spec, args.html, args.quiet, allow_partial=args.allow_partial)
