"""``charter sim report``: the HTML report of a results file."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from charter.hooks.errors import EXIT_OK
from charter.simulator.commands import options
from charter.simulator.records import Results, RuleValue

HELP = "write the HTML report of a results file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("results", type=Path, metavar="RESULTS")
    parser.add_argument("--html", type=Path, required=True, metavar="FILE")
    options.debug_flag(parser)


def run(args: argparse.Namespace) -> int:
    from charter.simulator import results

    write_html(results.load(args.results), args.html)
    print(f"report: {args.html}")
    return EXIT_OK


def write_html(doc: Results, path: Path, marginal: Sequence[RuleValue] = ()) -> None:
    from charter.simulator.report.html import render

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(doc, marginal=marginal), encoding="utf-8")
