"""The ``charter`` command: parse arguments, dispatch to one module per command.

Each module in ``charter.hooks.commands`` defines ``HELP``, ``add_arguments(parser)``
and ``run(args) -> int``; it imports what it needs inside ``run`` so that building the
parser stays cheap. Other packages add commands through the entry-point group
``charter.commands`` (name = module with the same interface; ``charter sim`` is
one): they are looked up only when the command is not built in, or for ``--help``.
Exit codes: 0 clean, 1 violations (or files fixed), 2 usage or configuration error,
3 internal error. ``--debug`` prints the traceback of an error.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from charter.hooks import __version__, methods
from charter.hooks.errors import EXIT_INTERNAL, EXIT_USAGE, CharterError

COMMANDS = (
    "init",
    "check",
    "commit-msg",
    "fix",
    "baseline",
    "waivers",
    "journal",
    "validate",
    "schema",
    "config",
    "new",
    "explain",
    "context",
    "agents-md",
    "mcp",
    "hook",
    "import",
)
# Command names that are not module names (``import`` is a keyword).
_MODULES = {"import": "import_rules"}
PLUGIN_GROUP = "charter.commands"


def _command(name: str) -> ModuleType:
    module = _MODULES.get(name, name.replace("-", "_"))
    return importlib.import_module(f"charter.hooks.commands.{module}")


def plugin_commands() -> dict[str, str]:
    """Commands other installed packages add: name -> module (entry point value)."""
    from importlib.metadata import entry_points

    found: dict[str, str] = {}
    for entry in entry_points(group=PLUGIN_GROUP):
        if entry.name not in COMMANDS:
            found.setdefault(entry.name, entry.value)
    return dict(sorted(found.items()))


def _wanted_plugins(argv: Sequence[str]) -> list[str]:
    """The plugin commands this command line needs in the parser (usually none)."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    if first is None:
        return list(plugin_commands()) if any(a in ("-h", "--help") for a in argv) else []
    if first in COMMANDS:
        return []
    return [first] if first in plugin_commands() else []


def _wanted_commands(argv: Sequence[str]) -> Sequence[str]:
    """The built-in commands the parser needs: the one named (a hook pays for no other
    command's import), or all of them for help and usage errors."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    before = argv[: argv.index(first)] if first is not None else argv
    if first in COMMANDS and not any(a in ("-h", "--help") for a in before):
        return (first,)
    return COMMANDS


class CharterParser(argparse.ArgumentParser):
    """argparse with a did-you-mean for a mistyped subcommand (``charter chek``).

    Subparsers are made with the parent's class, so ``charter sim rnu`` gets one too;
    at the top, the plugin commands (looked up only on an error) are candidates as well.
    """

    def error(self, message: str) -> NoReturn:
        match = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if match:
            choices = [c.strip(" '") for c in match.group(2).split(",")]
            if self.prog == "charter":
                choices += list(plugin_commands())
            close = _close_matches(match.group(1), choices, n=1)
            if close:
                hint = f"invalid choice: {match.group(1)!r} (did you mean {close[0]!r}?)"
                message = message[: match.start()] + hint
        super().error(message)


def _unrecognized(
    parser: argparse.ArgumentParser, args: argparse.Namespace, extra: Sequence[str]
) -> str:
    """The error for arguments no option takes, with the closest options of the command."""
    while True:  # down to the (sub)command that was parsed
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        name = getattr(args, subs[0].dest, None) if subs else None
        if name not in (subs[0].choices if subs else {}):
            break
        parser = subs[0].choices[name]
    options = [option for action in parser._actions for option in action.option_strings]
    hints = []
    for arg in extra:
        name = arg.split("=", 1)[0]
        close = _close_matches(name, options, n=1) if name.startswith("-") else []
        hints.append(f"{arg} (did you mean {close[0]}?)" if close else arg)
    return f"unrecognized arguments: {' '.join(hints)}"


def build_parser(
    plugins: Sequence[str] = (), commands: Sequence[str] = COMMANDS
) -> argparse.ArgumentParser:
    parser = CharterParser(
        prog="charter",
        description="Architecture decisions as executable constraints.",
    )
    parser.add_argument("--version", action="version", version=f"charter {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in commands:
        module = _command(name)
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        sub.add_argument("--debug", action="store_true", help="show the traceback of an error")
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    available = plugin_commands() if plugins else {}
    for name in plugins:
        module = importlib.import_module(available[name])
        sub = subparsers.add_parser(name, help=module.HELP, description=module.HELP)
        sub.add_argument("--debug", action="store_true", help="show the traceback of an error")
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Before a command defines its records: their generated methods come compiled from
    # an earlier run (methods.py). Only the ``charter`` process is patched, never a
    # program that imports Charter as a library.
    methods.install()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_wanted_plugins(argv), _wanted_commands(argv))
    args, extra = parser.parse_known_args(argv)
    if extra:
        parser.error(_unrecognized(parser, args, extra))
    try:
        return int(args.run(args))
    except CharterError as exc:
        if args.debug:
            _print_traceback()
        print(f"charter: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("charter: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (`charter ... | head`): not an error
        return 0
    except Exception as exc:
        if args.debug:
            _print_traceback()
        else:
            print(
                f"charter: internal error: {type(exc).__name__}: {exc}\n"
                "  this is a bug in Charter: run again with --debug for the traceback",
                file=sys.stderr,
            )
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())


# Imported on use: a hook that runs cleanly never needs them (start-up, issue 15).
def _close_matches(word: str, choices: Sequence[str], n: int) -> list[str]:
    import difflib

    return difflib.get_close_matches(word, choices, n=n)


def _print_traceback() -> None:
    import traceback

    traceback.print_exc()
