"""``charter sim import``: make a scenario from a journal or SWE-bench style predictions."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
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
    _compared(swe, "the predictions file's name", _swebench_success)
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
    _compared(history, "the repository's folder", _success)


def _compared(
    parser: argparse.ArgumentParser,
    name_default: str,
    success: Callable[[argparse.ArgumentParser], None],
) -> None:
    """The options of an import that compares sets: the oracle, the sets, how a task is
    judged solved (``success``), the scenario's name and folder."""
    _oracle(parser)
    _sets(parser)
    success(parser)
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


def _success(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--success",
        metavar="CMD",
        help="a test command that judges every judged task solved (exit 0), run after landing",
    )
    parser.add_argument(
        "--success-from-tests",
        metavar="RUNNER",
        help="each commit that changed test files is judged by RUNNER followed by those files "
        "(e.g. 'python3 -m pytest -q'); it wins over --success for that task",
    )
    _timeout(parser)


def _swebench_success(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--success-runner",
        metavar="RUNNER",
        help="judge each task solved as SWE-bench does: apply its instance's test_patch, "
        "then RUNNER followed by its FAIL_TO_PASS and PASS_TO_PASS tests (needs --instances)",
    )
    _timeout(parser)


def _timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--success-timeout",
        type=options.positive,
        default=300.0,
        metavar="S",
        help="seconds a success test may take (300)",
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
            success=history.SuccessSpec(
                args.success, args.success_from_tests, args.success_timeout
            ),
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
            success=swebench.SuccessRunner(args.success_runner, args.success_timeout)
            if args.success_runner
            else None,
        )
    for warning in warnings:
        print(f"charter sim: warning: {warning}", file=sys.stderr)
    print(f"scenario written: {written.folder} ({len(written.tasks)} tasks)")
    return EXIT_OK
