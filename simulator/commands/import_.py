"""``charter sim import``: make a scenario from a journal or SWE-bench style predictions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from charter.hooks.errors import EXIT_OK
from charter.simulator.commands import options

HELP = "make a scenario from a journal or predictions"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kinds = parser.add_subparsers(dest="import_kind", metavar="SOURCE", required=True)
    journal = kinds.add_parser("journal", help="from the attempt journal of a repository")
    journal.add_argument("--repo", type=Path, default=Path("."), help="repository (default .)")
    journal.add_argument("--name", help="scenario name (default: the repository's folder)")
    journal.add_argument("--out", type=Path, required=True, metavar="SCENARIO_DIR")
    options.debug_flag(journal)
    swe = kinds.add_parser("swebench", help="from SWE-bench style predictions (JSONL)")
    swe.add_argument("predictions", type=Path, metavar="PREDICTIONS.jsonl")
    swe.add_argument("--repo", type=Path, required=True, help="the base repository (git)")
    swe.add_argument("--name", help="scenario name (default: the predictions file's name)")
    swe.add_argument("--out", type=Path, required=True, metavar="DIR")
    options.debug_flag(swe)


def run(args: argparse.Namespace) -> int:
    if args.import_kind == "journal":
        from charter.simulator.imports import journal

        written, warnings = journal.import_journal(args.repo, args.out, args.name)
    else:
        from charter.simulator.imports import swebench

        written, warnings = swebench.import_predictions(
            args.predictions, args.repo, args.out, args.name
        )
    for warning in warnings:
        print(f"charter sim: warning: {warning}", file=sys.stderr)
    print(f"scenario written: {written.folder} ({len(written.tasks)} tasks)")
    return EXIT_OK
