"""``charter sim validate``: replay under ``recorded_with``; flag what it does not reproduce."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from charter.hooks.errors import EXIT_OK, EXIT_VIOLATIONS
from charter.simulator.commands import options

HELP = "replay under recorded_with; flag outcomes it does not reproduce"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", type=Path, metavar="SCENARIO")
    options.sandbox_options(parser)
    options.hooks_option(parser)
    options.debug_flag(parser)


def run(args: argparse.Namespace) -> int:
    from charter.simulator import sandbox, scenario, validate

    spec = options.sandbox_spec(args)
    backend = sandbox.backend(spec)
    loaded = scenario.load(args.scenario)
    print(f"charter sim: {backend.notice}", file=sys.stderr)
    try:
        problems, _ = validate.check(loaded, backend, args.hooks)
    except BaseException:
        options.remove_session(spec)
        raise
    for problem in problems:
        print(f"{loaded.name}: {problem}")
    tries = sum(len(t.attempts) for t in loaded.tasks)
    if problems:
        print(f"{loaded.name}: {len(problems)} recorded outcome(s) not reproduced", file=sys.stderr)
        return EXIT_VIOLATIONS
    print(f"{loaded.name}: all {tries} recorded outcomes reproduced under {loaded.recorded_with!r}")
    return EXIT_OK
