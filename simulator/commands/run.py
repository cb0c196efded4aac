"""``charter sim run``: replay scenarios under one constraint set."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from charter.hooks.errors import EXIT_OK, EXIT_VIOLATIONS
from charter.simulator.commands import options
from charter.simulator.commands.report import write_html
from charter.simulator.records import Results
from charter.simulator.sandbox import Spec
from charter.simulator.simulate import Simulation

HELP = "replay scenarios under one constraint set"
#: A run did not complete (an infra error) and --allow-partial was not given.
EXIT_PARTIAL = EXIT_VIOLATIONS
EXIT_INTERRUPTED = 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", dest="set_name", required=True, metavar="NAME")
    options.run_options(parser)


def run(args: argparse.Namespace) -> int:
    request = options.simulation(args, (args.set_name,), compare=False)
    spec = options.sandbox_spec(args)
    return execute(request, spec, quiet=args.quiet, allow_partial=args.allow_partial)


def execute(
    request: Simulation,
    spec: Spec,
    html: Path | None = None,
    quiet: bool = False,
    *,
    allow_partial: bool = False,
) -> int:
    """``run`` or ``compare``: the runs with progress, then the summary (and the page)."""
    from charter.simulator import interrupts, sandbox
    from charter.simulator.progress import Progress, time_summary
    from charter.simulator.report import text
    from charter.simulator.simulate import plan, simulate

    backend = sandbox.backend(spec)
    units = plan(request)
    print(f"charter sim: {backend.notice}", file=sys.stderr)
    where = request.executor or f"{request.jobs} local job(s)"
    started = time.perf_counter()
    runs = len(units) * (2 if request.learn_every is not None else 1)
    shown = Progress(runs, quiet=quiet)
    try:
        with shown, interrupts.stoppable():
            doc = simulate(request, units, spec, backend, shown.update)
    except KeyboardInterrupt:
        options.remove_session(spec)
        print(
            f"charter sim: interrupted; {shown.done} of {len(units)} unit(s) finished and kept "
            f"in {request.out} (run again with --resume to go on)",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except BaseException:
        options.remove_session(spec)
        raise
    # The summary and the page are written whole: a Ctrl-C meanwhile (it could land in
    # pydantic's serializer, and come out as its error) stops the command after them.
    with interrupts.stoppable(), interrupts.deferred():
        if shown.fresh:
            elapsed = time.perf_counter() - started
            print(time_summary(shown.fresh, elapsed, where), file=sys.stderr)
        print(text.summary(doc))
        print(f"results: {request.results_file} ({time.perf_counter() - started:.1f} s)")
        if html is not None:
            write_html(doc, html)
            print(f"report: {html}")
    return partial_exit(doc, allow_partial)


def partial_exit(doc: Results, allow_partial: bool) -> int:
    """Name each run that did not complete (an infra error) with its cause; such a run
    is no answer, so the command fails unless ``--allow-partial``."""
    from charter.simulator.compare import quarantined

    incomplete = quarantined(doc.runs)
    for line in incomplete:
        print(f"charter sim: incomplete run, excluded from the A/B: {line}", file=sys.stderr)
    if not incomplete or allow_partial:
        return EXIT_OK
    print(
        f"charter sim: {len(incomplete)} run(s) did not complete; fix the cause and run again "
        "(--resume keeps the finished runs), or accept a partial answer with --allow-partial",
        file=sys.stderr,
    )
    return EXIT_PARTIAL
