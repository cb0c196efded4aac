"""``charter sim cleanup``: remove leftover docker sandboxes (by label)."""

from __future__ import annotations

import argparse

from charter.hooks.errors import EXIT_OK
from charter.simulator.commands import options

HELP = "remove leftover docker sandboxes (by label)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--all", action="store_true", help="also those of simulations still running"
    )
    options.debug_flag(parser)


def run(args: argparse.Namespace) -> int:
    from charter.simulator.sandbox import docker

    containers, volumes = docker.cleanup(docker.connect(), everything=args.all)
    print(f"removed {containers} sandbox container(s) and {volumes} volume(s)")
    return EXIT_OK
