"""``charter import importlinter|tach [CONFIG]``: bring another tool's import rules over.

Every contract becomes a constraint of one decision record (see ``convert/``); those
Charter cannot express are named in the output and in the record, never dropped.
Then, when the other tool is installed, both run on the repository and their verdicts
are compared contract by contract. Exit 0 when every converted contract agrees, 1
when one does not (the record is still written, for a look), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK, EXIT_VIOLATIONS, CharterError

if TYPE_CHECKING:
    from charter.hooks.convert.records import Conversion
    from charter.hooks.settings import Settings

HELP = "convert an import-linter or tach configuration into a decision record, and compare"
TOOLS = ("importlinter", "tach")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument("tool", choices=TOOLS, help="whose configuration to read")
    parser.add_argument(
        "config",
        nargs="?",
        type=Path,
        help="the configuration file (default: found as the tool finds it)",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the record, write nothing")
    parser.add_argument("--force", action="store_true", help="rewrite an earlier import's record")
    parser.add_argument(
        "--no-compare", action="store_true", help="do not run both tools to compare verdicts"
    )


def run(args: argparse.Namespace) -> int:
    from charter.hooks.convert import importlinter, tach, write

    settings = settings_from(args)
    root = settings.root
    module = importlinter if args.tool == "importlinter" else tach
    config = args.config if args.config is not None else module.find_config(root)
    if not config.is_absolute():
        config = Path.cwd() / config
    if not config.is_file():
        raise CharterError(f"{args.config}: no such file")
    conversion = module.convert(config, root)
    place = write.target(root / settings.decisions, conversion.tool)
    text = write.render(conversion, place.decision_id, datetime.date.today())
    out = sys.stdout
    if args.dry_run:
        out.write(text)
        return EXIT_OK
    write.write(place, text, args.force)
    rel = place.path.relative_to(root).as_posix()
    out.write(
        f"wrote {rel} ({place.decision_id}): {len(conversion.expressed)} of "
        f"{len(conversion.contracts)} contracts from {conversion.config}\n"
    )
    for note in conversion.notes:
        out.write(f"  note: {note}\n")
    for contract in conversion.not_expressed:
        out.write(f"  not converted: {contract.key} ({contract.name}): {contract.reason}\n")
    if args.no_compare:
        return EXIT_OK
    return _compare(args.tool, conversion, config, settings, place.decision_id)


def _compare(
    tool: str, conversion: Conversion, config: Path, settings: Settings, decision_id: str
) -> int:
    from charter.hooks.convert import compare, tach

    out = sys.stdout
    if tool == "importlinter":
        command = compare.lint_imports()
        if command is None:
            out.write("lint-imports is not installed: verdicts not compared\n")
            return EXIT_OK
        result = compare.compare_importlinter(conversion, config, settings, decision_id, command)
    else:
        command = tach.tach_command()
        if command is None:
            out.write("tach is not installed: verdicts not compared\n")
            return EXIT_OK
        result = tach.compare(conversion, settings, decision_id, command)
    width = max((len(row.name) for row in result.rows), default=8)
    out.write(f"\n{'contract':<{width}}  {conversion.tool:<13}  charter\n")
    for row in result.rows:
        mark = "" if row.agrees else "  <- differs"
        out.write(f"{row.name:<{width}}  {row.theirs:<13}  {row.ours}{mark}\n")
    out.write(f"{result.agreed} of {len(result.rows)} verdicts agree\n")
    if result.agreed == len(result.rows):
        return EXIT_OK
    out.write(f"\n{conversion.tool} said:\n{result.their_output.strip()}\n\ncharter found:\n")
    out.write("".join(f"  {line}\n" for line in result.our_findings) or "  nothing\n")
    return EXIT_VIOLATIONS
