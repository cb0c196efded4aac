"""``charter context``: the decisions that apply to some paths and a task, for agents.

Decisions that target the paths come first, then the ones that match the task text
(BM25), ties broken by id; the output is the same for the same input. ``--evaluate``
runs a labelled retrieval set and prints recall@3, recall@5 and precision@3.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK, CharterError

# What fits in a prompt: the five best decisions, at most ~600 words (about 800 tokens).
TOP, BUDGET = 5, 600

HELP = "print the decisions that apply to paths and a task, as instructions for an agent"


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to be changed")
    parser.add_argument("--task", default="", metavar="TEXT", help="what the change is about")
    parser.add_argument(
        "--top",
        type=_positive,
        default=TOP,
        metavar="K",
        help=f"at most K decisions (default {TOP})",
    )
    parser.add_argument(
        "--format", dest="output", choices=("md", "json"), default="md", help="output format"
    )
    parser.add_argument(
        "--budget",
        type=_positive,
        default=BUDGET,
        metavar="WORDS",
        help="keep the Markdown within WORDS words, dropping the lowest-ranked decisions "
        f"(default {BUDGET})",
    )
    parser.add_argument(
        "--evaluate",
        type=Path,
        metavar="FILE",
        help="run the labelled retrieval set FILE; print recall@3, recall@5, precision@3",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="with --evaluate: show each query's ranking"
    )


def run(args: argparse.Namespace) -> int:
    if args.evaluate is not None:
        return _evaluate(args.evaluate, args.verbose)
    from charter.hooks.agents import render
    from charter.hooks.agents.query import hits_for, repo_path

    settings = settings_from(args)
    paths = list(dict.fromkeys(repo_path(settings.root, p) for p in args.paths))
    if any(not p for p in paths):
        raise CharterError("the repository root itself is not a path to ask about: name files")
    hits = hits_for(settings, paths, args.task)
    if args.output == "json":
        sys.stdout.write(render.as_json(hits, paths, args.task, args.top))
    else:
        sys.stdout.write(render.markdown(hits, paths, args.task, args.top, args.budget))
    return EXIT_OK


def _evaluate(path: Path, verbose: bool) -> int:
    from charter.hooks.agents.evaluate import evaluate

    metrics = evaluate(path)
    if verbose:
        for outcome in metrics.outcomes:
            marks = [
                f"{ident}{'*' if ident in outcome.query.relevant else ''}"
                for ident in outcome.ranked[:5]
            ]
            missed = sorted(set(outcome.query.relevant) - set(outcome.ranked[:5]))
            line = f"{outcome.query.id}: {' '.join(marks)}"
            print(line + (f"  (missed in top 5: {', '.join(missed)})" if missed else ""))
    print(f"{metrics.queries} queries over {metrics.decisions} decisions ({path.as_posix()})")
    print(f"recall@3     {metrics.recall_at_3:.3f}")
    print(f"recall@5     {metrics.recall_at_5:.3f}")
    print(f"precision@3  {metrics.precision_at_3:.3f}")
    return EXIT_OK
