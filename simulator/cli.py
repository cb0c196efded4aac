"""``charter sim``: replay recorded agent work against constraint sets (SPEC §7).

Registered as a plugin command (entry point group ``charter.commands``), so the engine's
CLI finds it without importing the simulator. Same interface as the built-in commands:
``HELP``, ``add_arguments(parser)``, ``run(args) -> int``. Each subcommand is a module
of ``simulator/commands/`` with that same interface, a thin adapter: typed request,
application function, render, exit code.
"""

from __future__ import annotations

import argparse
import importlib
from types import ModuleType

HELP = "simulate constraint sets on recorded agent work: run, compare, report, import, validate"
#: Subcommand name -> module of simulator/commands/, in the order ``--help`` lists them.
SUBCOMMANDS = {
    "run": "run",
    "compare": "compare",
    "loop": "loop",
    "report": "report",
    "validate": "validate",
    "cleanup": "cleanup",
    "image": "image",
    "import": "import_",
}


def _module(name: str) -> ModuleType:
    return importlib.import_module(f"charter.simulator.commands.{SUBCOMMANDS[name]}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="sim_command", metavar="SUBCOMMAND", required=True)
    for name in SUBCOMMANDS:
        module = _module(name)
        module.add_arguments(sub.add_parser(name, help=module.HELP))


def run(args: argparse.Namespace) -> int:
    code: int = _module(args.sim_command).run(args)
    return code
