"""``charter sim run``: replay scenarios under one constraint set."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from charter.hooks.errors import EXIT_OK
from charter.simulator.commands import options
from charter.simulator.commands.report import write_html
from charter.simulator.sandbox import Spec
from charter.simulator.simulate import Simulation

HELP = "replay scenarios under one constraint set"
EXIT_INTERRUPTED = 130


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", dest="set_name", required=True, metavar="NAME")
    options.run_options(parser)


def run(args: argparse.Namespace) -> int:
    request = options.simulation(args, (args.set_name,), compare=False)
    return execute(request, options.sandbox_spec(args), quiet=args.quiet)


def execute(request: Simulation, spec: Spec, html: Path | None = None, quiet: bool = False) -> int:
    """``run`` or ``compare``: the runs with progress, then the summary (and the page)."""
    from charter.simulator import sandbox
    from charter.simulator.progress import Progress, time_summary
    from charter.simulator.report import text
    from charter.simulator.simulate import plan, simulate

    backend = sandbox.backend(spec)
    units = plan(request)
    print(f"charter sim: {backend.notice}", file=sys.stderr)
    where = request.executor or f"{request.jobs} local job(s)"
    started = time.perf_counter()
    shown = Progress(len(units), quiet=quiet)
    try:
        with shown:
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
    if shown.fresh:
        elapsed = time.perf_counter() - started
        print(time_summary(shown.fresh, elapsed, where), file=sys.stderr)
    print(text.summary(doc))
    print(f"results: {request.results_file} ({time.perf_counter() - started:.1f} s)")
    if html is not None:
        write_html(doc, html)
        print(f"report: {html}")
    errors = sum(r.metrics["infra_errors"] for r in doc.runs)
    if errors:
        print(f"charter sim: {errors} infra error(s), kept apart (see results)", file=sys.stderr)
    return EXIT_OK
