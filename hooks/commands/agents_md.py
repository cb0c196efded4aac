"""``charter agents-md``: keep the agents' instruction files in sync with the decisions.

Writes the accepted decisions, as instructions, between the marker comments
(``<!-- charter:begin -->`` ... ``<!-- charter:end -->``) of AGENTS.md and CLAUDE.md (and,
with the ``agent_files`` setting, GEMINI.md, Cursor's rules and Copilot's instruction
files) at the root and for the folders of scoped decisions; text outside the markers is
never touched. Like pre-commit's fixers it prints ``Writing <path>`` and exits 1 when it
changed a file; ``--check`` changes nothing and exits 1 when a file is out of date.
"""

from __future__ import annotations

import argparse

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK, EXIT_VIOLATIONS

HELP = (
    "write the accepted decisions into AGENTS.md, CLAUDE.md and the other agent files "
    "(setting agent_files)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 when a file is out of date"
    )


def run(args: argparse.Namespace) -> int:
    from charter.hooks.agents import agents_md, surfaces
    from charter.hooks.agents.records import load_records
    from charter.hooks.source.files import repository_files

    settings = settings_from(args)
    root = settings.root
    records = load_records(settings)
    changes = surfaces.changes(
        root, records, settings.decisions, repository_files(root), settings.agent_files
    )
    if args.check:
        for change in changes:
            if change.text is None:
                what = "has a Charter block no decision needs any more"
            elif (root / change.path).exists():
                what = "is out of date"
            else:
                what = "is missing"
            print(f"{change.path} {what} (decisions in {settings.decisions})")
        if changes:
            print("run `charter agents-md` and commit the result")
            return EXIT_VIOLATIONS
        return EXIT_OK
    for change in changes:
        agents_md.write(root, change)
        print(f"{'Removing the block of' if change.text is None else 'Writing'} {change.path}")
    return EXIT_VIOLATIONS if changes else EXIT_OK
