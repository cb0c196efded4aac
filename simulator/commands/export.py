"""``charter sim export``: results in a format other harnesses read (Inspect AI's log)."""

from __future__ import annotations

import argparse
from pathlib import Path

from charter.hooks.errors import EXIT_OK
from charter.simulator.commands import options

HELP = "export results for other harnesses (--format inspect: Inspect AI evaluation logs)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("results", type=Path, metavar="RESULTS")
    parser.add_argument("--format", choices=("inspect",), default="inspect", dest="fmt")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="one log per set")
    parser.add_argument(
        "--scenario",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="a scenario of the results, for its task prompts (repeatable)",
    )
    options.debug_flag(parser)


def run(args: argparse.Namespace) -> int:
    from charter.simulator import export, results, scenario

    prompts = {t.id: t.prompt for folder in args.scenario for t in scenario.load(folder).tasks}
    for path in export.write_inspect(results.load(args.results), prompts, args.out):
        print(f"inspect log: {path}")
    return EXIT_OK
