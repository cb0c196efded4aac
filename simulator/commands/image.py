"""``charter sim image build``: build the docker sandbox's image offline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from charter.hooks.errors import EXIT_OK
from charter.simulator.commands import options

HELP = "the docker sandbox's image"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="image_command", metavar="ACTION", required=True)
    build = actions.add_parser("build", help="build it offline from a local base image")
    build.add_argument(
        "--base-image", default="python:3.12-slim", help="a local image with python3 and git"
    )
    build.add_argument("--tag", default="charter-sim:latest", help="also tag it so")
    build.add_argument("--source", type=Path, help="Charter's source tree (default: this one)")
    options.debug_flag(build)


def run(args: argparse.Namespace) -> int:
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
