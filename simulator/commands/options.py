"""What several ``charter sim`` subcommands share: options, the sandbox, the request."""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from charter.hooks.errors import CharterError
from charter.simulator.sandbox import Spec, choose
from charter.simulator.sandbox.endpoint import parse_all

if TYPE_CHECKING:  # only for annotations: ``charter sim --help`` stays light
    from charter.simulator.records import AgentParams
    from charter.simulator.simulate import Simulation

DEFAULT_OUT = "sim-results"


def at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum`` (``--max-tries -1`` is
    refused, not read as 'no tries at all')."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} is below the minimum of {minimum}")
        return value

    return parse


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def probability(text: str) -> float:
    """An argparse type: a probability, from 0 to 1."""
    value = _number(text)
    if not 0.0 <= value <= 1.0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"{text}: a probability is between 0 and 1")
    return value


def positive(text: str) -> float:
    """An argparse type: a positive, finite number (seconds, CPUs)."""
    value = _number(text)
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text} must be a positive, finite number")
    return value


def debug_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)


def run_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``run`` and ``compare``."""
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="scenario folders")
    parser.add_argument("--epochs", type=at_least(1), default=1, help="runs per scenario and set")
    parser.add_argument("--seed", type=int, default=0, help="seed of every random draw")
    parser.add_argument(
        "--policy",
        choices=("abandon", "repair", "bypass"),
        default="abandon",
        help="what the agent does when the set rejects its last recorded attempt",
    )
    parser.add_argument("--p-repair", type=probability, default=1.0, metavar="P")
    parser.add_argument("--p-bypass", type=probability, default=1.0, metavar="P")
    parser.add_argument(
        "--iterations",
        type=at_least(1),
        metavar="N",
        help="use the stochastic agent (resampled attempts) for N iterations",
    )
    parser.add_argument(
        "--agent",
        choices=("replay", "reactive"),
        help="replay: the recorded attempts, in order (default); reactive: an agent that "
        "repairs, gives up or bypasses with calibrated probabilities (default with "
        "--agent-params)",
    )
    parser.add_argument(
        "--agent-params",
        type=Path,
        metavar="FILE",
        help="the reactive agent's parameters (charter sim calibrate writes them); "
        "implies --agent reactive",
    )
    parser.add_argument(
        "--agent-cmd", metavar="CMD", help="an external agent command run in the work tree"
    )
    parser.add_argument(
        "--max-tries", type=at_least(1), default=3, help="tries of --agent-cmd per task"
    )
    sandbox_options(parser)
    parser.add_argument("--jobs", type=at_least(1), default=1, metavar="N", help="parallel runs")
    parser.add_argument(
        "--executor",
        metavar="WHERE",
        help="local (default: --jobs local processes) or a Dask scheduler, tcp://HOST:PORT",
    )
    hooks_option(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress lines or bar on stderr")
    parser.add_argument("--resume", action="store_true", help="keep finished runs in --out")
    parser.add_argument("--timeout", type=positive, default=120.0, help="seconds per command")
    parser.add_argument("--out", type=Path, default=Path(DEFAULT_OUT), help="results folder")
    parser.add_argument(
        "--allow-partial",
        action="store_true",
        help="exit 0 even when a run did not complete (it is still left out of the A/B)",
    )
    debug_flag(parser)


def hooks_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--hooks",
        choices=("pre-commit", "direct"),
        default="pre-commit",
        help="how commits are judged: through pre-commit (default) or Charter's hooks directly",
    )


def sandbox_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sandbox",
        choices=("auto", "docker", "local"),
        help="where replays run (default auto: docker when an engine answers, else local)",
    )
    parser.add_argument("--image", help="docker: the sandbox image (default charter-sim:latest)")
    parser.add_argument("--cpus", type=positive, default=1.0, help="docker: CPUs per run (1)")
    parser.add_argument("--memory", default="1g", help="docker: memory per run (1g)")
    parser.add_argument(
        "--pids-limit", type=at_least(1), default=256, metavar="N", help="docker: processes per run"
    )
    parser.add_argument(
        "--run-timeout", type=positive, default=1800.0, metavar="S", help="docker: seconds per run"
    )
    parser.add_argument(
        "--allow-endpoint",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="docker: let the sandbox reach this endpoint (a model's) and nothing else; "
        "the agent finds it in CHARTER_MODEL_ENDPOINT (local: only that variable is set)",
    )


def sandbox_spec(args: argparse.Namespace) -> Spec:
    """The sandbox to use (printed with the reason), as a picklable spec."""
    endpoints = parse_all(args.allow_endpoint)
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
        endpoints=endpoints,
    )


def remove_session(spec: Spec) -> None:
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


def _reactive(args: argparse.Namespace) -> tuple[bool, AgentParams]:
    """``--agent reactive`` and its parameters (the defaults, or ``--agent-params``)."""
    from charter.simulator import agent_params

    # Calibrated parameters are for the reactive agent: giving them chooses it.
    reactive = args.agent == "reactive" or (args.agent is None and args.agent_params is not None)
    if args.agent_params is not None and args.agent == "replay":
        raise CharterError("--agent-params is for the reactive agent; drop --agent replay")
    if reactive and (args.iterations is not None or args.agent_cmd):
        raise CharterError("--agent reactive excludes --iterations and --agent-cmd")
    if args.agent_params is None:
        return reactive, agent_params.AgentParams()
    return reactive, agent_params.load(args.agent_params)


def simulation(
    args: argparse.Namespace, sets: tuple[str, ...], compare: bool, learning: bool = False
) -> Simulation:
    """The typed request of ``run`` and ``compare``."""
    from charter.simulator.policies import Policy
    from charter.simulator.replay import RunConfig
    from charter.simulator.simulate import Simulation

    if args.iterations is not None and args.iterations < 1:
        raise CharterError("--iterations must be at least 1")
    if args.iterations is not None and args.agent_cmd:
        raise CharterError("--iterations (the stochastic agent) and --agent-cmd exclude each other")
    reactive, params = _reactive(args)
    config = RunConfig(
        seed=args.seed,
        policy=Policy(args.policy, args.p_repair, args.p_bypass),
        iterations=args.iterations,
        agent_cmd=args.agent_cmd,
        max_tries=args.max_tries,
        timeout=args.timeout,
        hooks=args.hooks,
        reactive=reactive,
        agent_params=params,
    )
    return Simulation(
        scenarios=tuple(Path(p) for p in args.scenarios),
        sets=sets,
        epochs=args.epochs,
        config=config,
        out=args.out,
        jobs=args.jobs,
        resume=args.resume,
        compare=compare and not learning,
        executor=args.executor,
    )
