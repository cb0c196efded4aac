"""``charter sim calibrate``: fit the reactive agent's parameters on an attempt journal,
or on the live agents' tries of ``charter sim`` results (``--from-results``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from charter.hooks.errors import EXIT_OK, CharterError
from charter.simulator.commands import options

HELP = "fit the reactive agent's parameters on an attempt journal or live agents' runs"
DEFAULT_OUT = "agent-params.json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "repo", type=Path, nargs="?", default=Path("."), help="repository with a journal (.)"
    )
    parser.add_argument(
        "--oracle",
        type=Path,
        metavar="DIR",
        help="decisions that are right to block: a block by none of them is a wrong block",
    )
    parser.add_argument(
        "--from-results",
        type=Path,
        action="append",
        default=[],
        metavar="RESULTS",
        help="fit on the live agents' tries (--agent-cmd) of a results file or folder "
        "(repeatable) instead of a journal",
    )
    parser.add_argument(
        "--out", type=Path, default=Path(DEFAULT_OUT), help=f"params file ({DEFAULT_OUT})"
    )
    options.debug_flag(parser)


def run(args: argparse.Namespace) -> int:
    from charter.simulator import agent_params, calibrate

    if args.from_results and args.oracle is not None:
        raise CharterError(
            "--oracle is for a journal; the results' runs carry their oracle's labels already"
        )
    if args.from_results:
        params, warnings = calibrate.fit_runs(args.from_results)
    else:
        params, warnings = calibrate.fit(args.repo.resolve(), args.oracle)
    for warning in warnings:
        print(f"charter sim calibrate: {warning}", file=sys.stderr)
    agent_params.save(params, args.out)
    print(f"{params.source}; method: {params.method}")
    for name, fitted in sorted(params.intervals.items()):
        print(
            f"  {name:<18} {fitted.value:8.3f}  95% [{fitted.low:.3f}, {fitted.high:.3f}]"
            f"  n={fitted.n}"
        )
    print(f"parameters: {args.out} (use: charter sim compare --agent reactive --agent-params)")
    return EXIT_OK
