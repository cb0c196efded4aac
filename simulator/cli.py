"""``charter sim``: replay recorded agent work against constraint sets (SPEC §7).

Registered as a plugin command (entry point group ``charter.commands``), so the engine's
CLI finds it without importing the simulator. Same interface as the built-in commands:
``HELP``, ``add_arguments(parser)``, ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from charter.hooks.errors import EXIT_OK, EXIT_VIOLATIONS, CharterError

HELP = "simulate constraint sets on recorded agent work: run, compare, report, import, validate"
DEFAULT_OUT = "sim-results"


def _at_least(minimum: int) -> Any:
    """An argparse type: an integer of at least ``minimum`` (``--max-tries -1`` is refused,
    not read as 'no tries at all')."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is below the minimum of {minimum}")
        return value

    return parse


def _probability(text: str) -> float:
    """An argparse type: a probability, from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"{text}: a probability is between 0 and 1")
    return value


def _seconds(text: str) -> float:
    """An argparse type: a positive, finite number of seconds (or CPUs)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text} must be a positive, finite number")
    return value


def _run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario folders")
    parser.add_argument("--epochs", type=_at_least(1), default=1, help="runs per scenario and set")
    parser.add_argument("--seed", type=int, default=0, help="seed of every random draw")
    parser.add_argument(
        "--policy",
        choices=("abandon", "repair", "bypass"),
        default="abandon",
        help="what the agent does when the set rejects its last recorded attempt",
    )
    parser.add_argument("--p-repair", type=_probability, default=1.0, metavar="P")
    parser.add_argument("--p-bypass", type=_probability, default=1.0, metavar="P")
    parser.add_argument(
        "--iterations",
        type=_at_least(1),
        metavar="N",
        help="use the stochastic agent (resampled attempts) for N iterations",
    )
    parser.add_argument(
        "--agent-cmd", metavar="CMD", help="an external agent command run in the work tree"
    )
    parser.add_argument(
        "--max-tries", type=_at_least(1), default=3, help="tries of --agent-cmd per task"
    )
    _sandbox_options(parser)
    parser.add_argument("--jobs", type=_at_least(1), default=1, metavar="N", help="parallel runs")
    parser.add_argument("--resume", action="store_true", help="keep finished runs in --out")
    parser.add_argument("--timeout", type=_seconds, default=120.0, help="seconds per command")
    parser.add_argument("--out", type=Path, default=Path(DEFAULT_OUT), help="results folder")


def _sandbox_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sandbox",
        choices=("auto", "docker", "local"),
        help="where replays run (default auto: docker when an engine answers, else local)",
    )
    parser.add_argument("--image", help="docker: the sandbox image (default charter-sim:latest)")
    parser.add_argument("--cpus", type=_seconds, default=1.0, help="docker: CPUs per run (1)")
    parser.add_argument("--memory", default="1g", help="docker: memory per run (1g)")
    parser.add_argument(
        "--pids-limit",
        type=_at_least(1),
        default=256,
        metavar="N",
        help="docker: processes per run",
    )
    parser.add_argument(
        "--run-timeout", type=_seconds, default=1800.0, metavar="S", help="docker: seconds per run"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="sim_command", metavar="SUBCOMMAND", required=True)
    run = sub.add_parser("run", help="replay scenarios under one constraint set")
    run.add_argument("--set", dest="set_name", required=True, metavar="NAME")
    _run_options(run)
    compare = sub.add_parser("compare", help="A/B of two constraint sets, paired by seed")
    compare.add_argument("--sets", nargs=2, required=True, metavar=("A", "B"))
    compare.add_argument("--html", type=Path, metavar="FILE", help="also write the HTML report")
    _run_options(compare)
    report = sub.add_parser("report", help="write the HTML report of a results file")
    report.add_argument("results", type=Path, metavar="RESULTS")
    report.add_argument("--html", type=Path, required=True, metavar="FILE")
    validate = sub.add_parser(
        "validate", help="replay under recorded_with; flag outcomes it does not reproduce"
    )
    validate.add_argument("scenario", type=Path, metavar="SCENARIO")
    _sandbox_options(validate)
    cleanup = sub.add_parser("cleanup", help="remove leftover docker sandboxes (by label)")
    cleanup.add_argument(
        "--all", action="store_true", help="also those of simulations still running"
    )
    image = sub.add_parser("image", help="the docker sandbox's image")
    image_sub = image.add_subparsers(dest="image_command", metavar="ACTION", required=True)
    build = image_sub.add_parser("build", help="build it offline from a local base image")
    build.add_argument(
        "--base-image", default="python:3.12-slim", help="a local image with python3 and git"
    )
    build.add_argument("--tag", default="charter-sim:latest", help="also tag it so")
    build.add_argument("--source", type=Path, help="Charter's source tree (default: this one)")
    imp = sub.add_parser("import", help="make a scenario from a journal or predictions")
    kinds = imp.add_subparsers(dest="import_kind", metavar="SOURCE", required=True)
    journal = kinds.add_parser("journal", help="from the attempt journal of a repository")
    journal.add_argument("--repo", type=Path, default=Path("."), help="repository (default .)")
    journal.add_argument("--name", help="scenario name (default: the repository's folder)")
    journal.add_argument("--out", type=Path, required=True, metavar="SCENARIO_DIR")
    swe = kinds.add_parser("swebench", help="from SWE-bench style predictions (JSONL)")
    swe.add_argument("predictions", type=Path, metavar="PREDICTIONS.jsonl")
    swe.add_argument("--repo", type=Path, required=True, help="the base repository (git)")
    swe.add_argument("--name", help="scenario name (default: the predictions file's name)")
    swe.add_argument("--out", type=Path, required=True, metavar="DIR")
    for sub_parser in (run, compare, report, validate, journal, swe, cleanup, build):
        sub_parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    command: str = args.sim_command
    if command in ("run", "compare"):
        return _simulate(args)
    if command == "report":
        return _report(args)
    if command == "validate":
        return _validate(args)
    if command == "cleanup":
        return _cleanup(args.all)
    if command == "image":
        return _image_build(args)
    return _import(args)


def _sandbox(args: argparse.Namespace) -> Any:
    """The sandbox to use (printed with the reason), as a picklable spec."""
    import uuid

    from charter.simulator.sandbox import Spec, choose

    name, reason = choose(args.sandbox)
    print(f"charter sim: sandbox {name} ({reason})", file=sys.stderr)
    return Spec(
        name,
        image=args.image,
        cpus=args.cpus,
        memory=args.memory,
        pids=args.pids_limit,
        run_timeout=args.run_timeout,
        session=uuid.uuid4().hex[:12],
        reason=reason,
    )


def _remove_session(spec: Any) -> None:
    """Remove the containers of this invocation (after Ctrl-C or an error)."""
    if spec.name != "docker":
        return
    from charter.simulator.sandbox import docker

    try:
        client = docker.connect(timeout=30)
        containers, volumes = docker.cleanup(client, spec.session)
    except CharterError:
        return
    if containers or volumes:
        print(
            f"charter sim: removed {containers} sandbox container(s), {volumes} volume(s)",
            file=sys.stderr,
        )


def _cleanup(everything: bool) -> int:
    from charter.simulator.sandbox import docker

    containers, volumes = docker.cleanup(docker.connect(), everything=everything)
    print(f"removed {containers} sandbox container(s) and {volumes} volume(s)")
    return EXIT_OK


def _image_build(args: argparse.Namespace) -> int:
    from charter.simulator.sandbox import docker, image

    client = docker.connect(timeout=1800)
    built = image.build(
        client,
        args.base_image,
        args.tag,
        args.source,
        log=lambda line: print(f"charter sim image: {line}", file=sys.stderr),
    )
    what = "reused (inputs unchanged)" if built.reused else "built"
    also = f", tagged {built.also}" if built.also else ""
    print(f"{built.tag}: {what}{also} ({built.seconds:.1f} s)")
    return EXIT_OK


def _config(args: argparse.Namespace) -> Any:
    from charter.simulator.policies import Policy
    from charter.simulator.replay import RunConfig

    if args.epochs < 1 or args.jobs < 1:
        raise CharterError("--epochs and --jobs must be at least 1")
    if args.iterations is not None and args.iterations < 1:
        raise CharterError("--iterations must be at least 1")
    if args.iterations is not None and args.agent_cmd:
        raise CharterError("--iterations (the stochastic agent) and --agent-cmd exclude each other")
    policy = Policy(args.policy, args.p_repair, args.p_bypass)
    return RunConfig(
        seed=args.seed,
        policy=policy,
        iterations=args.iterations,
        agent_cmd=args.agent_cmd,
        max_tries=args.max_tries,
        timeout=args.timeout,
    )


def _simulate(args: argparse.Namespace) -> int:
    from charter.simulator import batch, compare, results, sandbox, scenario

    config = _config(args)
    spec = _sandbox(args)
    backend = sandbox.backend(spec)
    sets = [args.set_name] if args.sim_command == "run" else list(args.sets)
    if len(set(sets)) != len(sets):
        raise CharterError("--sets: name two different constraint sets")
    scenarios = [scenario.load(Path(p)) for p in args.scenarios]
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise CharterError(f"two scenarios share a name: {names}")
    units = batch.plan(scenarios, sets, args.epochs)
    print(f"charter sim: {backend.notice}", file=sys.stderr)
    started = time.perf_counter()
    try:
        with _Progress(len(units)) as progress:
            runs = batch.run_all(
                units,
                config,
                spec,
                args.out,
                jobs=args.jobs,
                resume=args.resume,
                progress=progress.update,
            )
    except BaseException:
        _remove_session(spec)
        raise
    doc = results.document(
        runs,
        {**config.as_json(), "sets": sets, "scenarios": names, "epochs": args.epochs},
        {"sandbox": backend.name, "isolates": backend.isolates, "notice": backend.notice},
    )
    if args.sim_command == "compare":
        doc["comparison"] = compare.paired(doc["runs"], sets[0], sets[1], args.seed)
    out_file = args.out / "results.json"
    results.write_json(out_file, doc)
    print(_text_summary(doc))
    print(f"results: {out_file} ({time.perf_counter() - started:.1f} s)")
    html_file = getattr(args, "html", None)
    if html_file is not None:
        _write_html(doc, html_file)
        print(f"report: {html_file}")
    errors = sum(r["metrics"]["infra_errors"] for r in doc["runs"])
    if errors:
        print(f"charter sim: {errors} infra error(s), kept apart (see results)", file=sys.stderr)
    return EXIT_OK


def _text_summary(doc: dict[str, Any]) -> str:
    from charter.simulator.metrics import METRICS

    by_set = doc["summary"]["by_set"]
    sets = sorted(by_set)
    width = max(len(m) for m in METRICS)
    lines = [f"{'metric':<{width}}  " + "  ".join(f"{s:>14}" for s in sets)]
    for metric in METRICS:
        cells = "  ".join(f"{by_set[s][metric]['mean']:>14.2f}" for s in sets)
        lines.append(f"{metric:<{width}}  {cells}")
    timing = doc["timings"]["summary"]
    lines.append(
        f"per try: hooks {timing['hook_ms']['median']:.0f} ms, oracle "
        f"{timing['oracle_ms']['median']:.0f} ms, simulator overhead "
        f"{timing['overhead_ms']['median']:.0f} ms (medians); {timing['tries_per_s']} tries/s"
    )
    comparison = doc.get("comparison")
    if comparison:
        lines.append(f"B - A ({comparison['b']} - {comparison['a']}), 95% bootstrap interval:")
        for metric in METRICS:
            d = comparison["deltas"][metric]
            lines.append(
                f"  {metric:<{width}}  {d['delta']:+8.2f}  [{d['low']:+.2f}, {d['high']:+.2f}]"
            )
    return "\n".join(lines)


def _write_html(doc: dict[str, Any], path: Path) -> None:
    from charter.simulator.report.html import render

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(doc), encoding="utf-8")


def _report(args: argparse.Namespace) -> int:
    from charter.simulator import results

    _write_html(results.load(args.results), args.html)
    print(f"report: {args.html}")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from charter.simulator import sandbox, scenario, validate

    spec = _sandbox(args)
    backend = sandbox.backend(spec)
    loaded = scenario.load(args.scenario)
    print(f"charter sim: {backend.notice}", file=sys.stderr)
    try:
        problems, _ = validate.check(loaded, backend)
    except BaseException:
        _remove_session(spec)
        raise
    for problem in problems:
        print(f"{loaded.name}: {problem}")
    tries = sum(len(t.attempts) for t in loaded.tasks)
    if problems:
        print(f"{loaded.name}: {len(problems)} recorded outcome(s) not reproduced", file=sys.stderr)
        return EXIT_VIOLATIONS
    print(f"{loaded.name}: all {tries} recorded outcomes reproduced under {loaded.recorded_with!r}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
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


class _Progress:
    """A rich progress bar on a terminal, plain lines otherwise (both on stderr)."""

    def __init__(self, total: int) -> None:
        self.total, self.done = total, 0
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> _Progress:
        if sys.stderr.isatty():
            try:
                from rich.console import Console
                from rich.progress import Progress
            except ImportError:
                return self
            self.bar = Progress(console=Console(stderr=True), transient=False)
            self.bar.start()
            self.task = self.bar.add_task("simulating", total=self.total)
        return self

    def update(self, unit: Any, run: dict[str, Any], reused: bool) -> None:
        self.done += 1
        m = run["metrics"]
        line = (
            f"[{self.done}/{self.total}] {unit.label}: {'reused' if reused else 'done'}; "
            f"landed {m['landed']}, abandoned {m['abandoned']}, blocked {m['blocked']}, "
            f"escaped {m['escaped']}, infra errors {m['infra_errors']}"
        )
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=unit.label)
            self.bar.console.print(line)
        else:
            print(line, file=sys.stderr, flush=True)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
