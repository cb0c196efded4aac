"""``charter sim compare``: the A/B of two constraint sets, paired by seed."""

from __future__ import annotations

import argparse
from pathlib import Path

from charter.simulator.commands import options
from charter.simulator.commands.run import execute

HELP = "A/B of two constraint sets, paired by seed"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sets", nargs=2, required=True, metavar=("A", "B"))
    parser.add_argument("--html", type=Path, metavar="FILE", help="also write the HTML report")
    options.run_options(parser)


def run(args: argparse.Namespace) -> int:
    request = options.simulation(args, tuple(args.sets), compare=True)
    spec = options.sandbox_spec(args)
    return execute(request, spec, args.html, args.quiet, allow_partial=args.allow_partial)
