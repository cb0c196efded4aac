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
    _oracle(journal)
    options.debug_flag(journal)
    swe = kinds.add_parser("swebench", help="from SWE-bench style predictions (JSONL)")
    swe.add_argument("predictions", type=Path, metavar="PREDICTIONS.jsonl")
    swe.add_argument("--repo", type=Path, required=True, help="the base repository (git)")
    swe.add_argument(
        "--instances",
        type=Path,
        metavar="FILE",
        help="SWE-bench instances (JSONL or a JSON list): each one's base_commit",
    )
    _compared(swe, name_default="the predictions file's name")
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
    _compared(history, name_default="the repository's folder")


def _compared(parser: argparse.ArgumentParser, name_default: str) -> None:
    """The options of an import that compares sets: the oracle, the sets, where it goes."""
    _oracle(parser)
    _sets(parser)
    parser.add_argument("--name", help=f"scenario name (default: {name_default})")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    options.debug_flag(parser)


def _oracle(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--oracle",
        type=Path,
        required=True,
        metavar="DIR",
        help="decision records that label the real violations (not a set under test)",
    )


def _sets(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        type=_named_set,
        metavar="NAME=DIR",
        help="a constraint set to compare (decision records), besides none and repo",
    )


def _named_set(text: str) -> tuple[str, Path]:
    name, sep, folder = text.partition("=")
    if not sep or not name or not folder:
        raise argparse.ArgumentTypeError(f"{text!r}: give NAME=DIR, e.g. strict=rules/")
    return name, Path(folder)


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
            sets=dict(args.sets),
        )
    elif args.import_kind == "journal":
        from charter.simulator.imports import journal

        written, warnings = journal.import_journal(args.repo, args.out, args.oracle, args.name)
    else:
        from charter.simulator.imports import swebench

        written, warnings = swebench.import_predictions(
            args.predictions,
            args.repo,
            args.out,
            args.oracle,
            args.name,
            instances=args.instances,
            sets=dict(args.sets),
        )
    for warning in warnings:
        print(f"charter sim: warning: {warning}", file=sys.stderr)
    print(f"scenario written: {written.folder} ({len(written.tasks)} tasks)")
    return EXIT_OK
