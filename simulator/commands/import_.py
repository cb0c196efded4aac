"""``charter sim import``: make a scenario from a journal or SWE-bench style predictions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from charter.hooks.errors import EXIT_OK
from charter.simulator.commands import options

HELP = "make a scenario from a journal, predictions or a repository's history"


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
    swe.add_argument(
        "--oracle",
        type=Path,
        required=True,
        metavar="DIR",
        help="decision records that label the real violations (not the set under test)",
    )
    swe.add_argument("--name", help="scenario name (default: the predictions file's name)")
    swe.add_argument("--out", type=Path, required=True, metavar="DIR")
    options.debug_flag(swe)
    _history_parser(kinds)


def _history_parser(kinds: Any) -> None:
    history = kinds.add_parser("git", help="from a repository's history (a chained scenario)")
    history.add_argument("repo", type=Path, metavar="REPO", help="the repository (git)")
    history.add_argument("--range", dest="range_", required=True, metavar="A..B")
    walk = history.add_mutually_exclusive_group()
    walk.add_argument("--first-parent", dest="first_parent", action="store_true", default=True)
    walk.add_argument("--all", dest="first_parent", action="store_false", help="every commit")
    history.add_argument(
        "--agents", action="store_true", help="judge only commits an agent wrote; others: context"
    )
    history.add_argument(
        "--agent-pattern",
        action="append",
        default=[],
        metavar="REGEX",
        help="another line that marks an agent's commit (repeatable)",
    )
    history.add_argument("--oracle", type=Path, required=True, metavar="DIR")
    history.add_argument("--name", help="scenario name (default: the repository's folder)")
    history.add_argument("--out", type=Path, required=True, metavar="DIR")
    options.debug_flag(history)


def run(args: argparse.Namespace) -> int:
    if args.import_kind == "git":
        from charter.simulator.imports import history

        agents = (*history.AGENT_PATTERNS, *args.agent_pattern) if args.agents else None
        written, warnings = history.import_history(
            args.repo,
            args.range_,
            args.out,
            args.oracle,
            first_parent=args.first_parent,
            agents=agents,
            name=args.name,
        )
    elif args.import_kind == "journal":
        from charter.simulator.imports import journal

        written, warnings = journal.import_journal(args.repo, args.out, args.name)
    else:
        from charter.simulator.imports import swebench

        written, warnings = swebench.import_predictions(
            args.predictions, args.repo, args.out, args.oracle, args.name
        )
    for warning in warnings:
        print(f"charter sim: warning: {warning}", file=sys.stderr)
    print(f"scenario written: {written.folder} ({len(written.tasks)} tasks)")
    return EXIT_OK
