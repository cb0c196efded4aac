"""``charter learn``: propose guards from fix commits, escaped violations and what holds.

Registered as a plugin command (it reads simulator results and back-tests on history,
so it lives in the simulator); the same thin-adapter shape as every command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "propose guards (proposed decisions) from fix commits, escaped violations and what holds"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from-history", metavar="REPO", type=Path, help="a git repository to learn from"
    )
    parser.add_argument("--range", metavar="A..B", help="its commits (first-parent) to read")
    parser.add_argument(
        "--from-results", metavar="RESULTS", type=Path, help="a charter sim results document"
    )
    parser.add_argument("--oracle", metavar="DIR", type=Path, help="the oracle of those results")
    parser.add_argument(
        "--holds", action="store_true", help="also propose what already holds (charter init)"
    )
    parser.add_argument(
        "--out", metavar="DIR", type=Path, help="where to write (default: the decisions folder)"
    )
    parser.add_argument("--dry-run", action="store_true", help="print, write nothing")


def run(args: argparse.Namespace) -> int:
    from charter.hooks import settings
    from charter.hooks.errors import CharterError
    from charter.simulator.learn.learn import LearnRequest, learn, write
    from charter.simulator.learn.render import summary

    if args.from_history is not None and not args.range:
        raise CharterError("--from-history needs --range A..B (the commits to learn from)")
    if args.from_history is None and args.from_results is None and not args.holds:
        raise CharterError("nothing to learn from: give --from-history, --from-results or --holds")
    repo = (args.from_history or Path.cwd()).absolute()
    out = args.out or repo / settings.load(repo)[0].decisions
    request = LearnRequest(repo, args.range, args.from_results, args.oracle, args.holds, out)
    found = learn(request)
    for item in found:
        test = item.backtest
        numbers = summary(test) if test is not None else "not back-tested"
        mark = " [passes]" if item.passes else ""
        print(f"{item.proposal.kind}: {item.proposal.title} -- {numbers}{mark}")
    if args.dry_run:
        return 0
    written = write(found, out.absolute())
    print(
        f"charter learn: {len(found)} proposal(s), {len(written)} written to {out}", file=sys.stderr
    )
    return 0
