"""``charter sim compare``: the A/B of two constraint sets, paired by seed."""

from __future__ import annotations

import argparse
from pathlib import Path

from charter.simulator.commands import options
from charter.simulator.commands.run import execute
from charter.simulator.sandbox import Spec
from charter.simulator.simulate import Simulation

HELP = "A/B of two constraint sets, paired by seed"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sets", nargs=2, required=True, metavar=("A", "B"))
    parser.add_argument("--html", type=Path, metavar="FILE", help="also write the HTML report")
    parser.add_argument(
        "--leave-one-out",
        action="store_true",
        help="also replay B without each of its rules: each rule's marginal value",
    )
    options.run_options(parser)


def run(args: argparse.Namespace) -> int:
    request = options.simulation(args, tuple(args.sets), compare=True)
    spec = options.sandbox_spec(args)
    code = execute(request, spec, args.html, args.quiet, allow_partial=args.allow_partial)
    if args.leave_one_out:
        _leave_one_out(request, spec, args.html)
    return code


def _leave_one_out(request: Simulation, spec: Spec, html: Path | None) -> None:
    """Each rule of B replayed away; the table printed, written beside the results
    (``leave-one-out.json``) and into the report."""
    from charter.simulator import marginal, results, sandbox, scenario
    from charter.simulator.commands.report import write_html

    doc = results.load(request.results_file)
    loaded = [scenario.load(path) for path in request.scenarios]
    found = marginal.leave_one_out(
        loaded, request.sets[1], doc.runs, request.config, sandbox.backend(spec)
    )
    print(marginal.table(found))
    out = request.out / "leave-one-out.json"
    results.write_json(out, {"schema": "charter-sim-loo/1", "rules": [v.as_json() for v in found]})
    print(f"leave one out: {out}")
    if html is not None:
        write_html(doc, html, found)
