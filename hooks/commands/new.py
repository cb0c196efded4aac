"""``charter new "Title"``: write the next decision record and validate it on the spot.

The record is a MADR 4 file with front matter ready for constraints (see
``decisions.scaffold``), numbered after the highest record in the decisions folder. An
existing file is never overwritten; a problem in the new record is reported as
``charter validate`` would, with exit 2.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK, EXIT_USAGE, CharterError

HELP = "write the next decision record (MADR 4, front matter ready for constraints)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument("title", help="the decision's title, e.g. 'Use repositories for storage'")
    parser.add_argument(
        "--status",
        choices=("proposed", "accepted"),
        default="proposed",
        help="the new record's status (default: proposed, which warns and never blocks)",
    )


def run(args: argparse.Namespace) -> int:
    import datetime

    from charter.hooks.decisions import load
    from charter.hooks.decisions.scaffold import new_record

    settings = settings_from(args)
    if not args.title.strip():
        raise CharterError('give the decision a title: charter new "Use repositories for storage"')
    folder = settings.root / settings.decisions
    folder.mkdir(parents=True, exist_ok=True)
    loaded = load.load_folder(settings.root, settings.decisions)
    names = [path.name for path in load.find_decision_files(folder)]
    for item in loaded.files:
        if item.decision.title.casefold() == " ".join(args.title.split()).casefold():
            raise CharterError(
                f"{item.path}: {item.decision.id} already has this title; edit that record, "
                "or give the new decision another title"
            )
    record = new_record(
        args.title,
        names,
        [header.id for header in loaded.headers],
        datetime.date.today(),
        args.status,
    )
    target = folder / record.file_name
    rel = f"{settings.decisions}/{record.file_name}"
    try:
        with target.open("x", encoding="utf-8") as out:
            out.write(record.text)
    except FileExistsError:
        raise CharterError(f"{rel} already exists; Charter never overwrites a record") from None
    return _report(settings.root, settings.decisions, rel, record.id)


def _report(root: Path, decisions: str, rel: str, ident: str) -> int:
    from charter.hooks.decisions import catalog, load

    loaded = load.load_folder(root, decisions)
    _, cross = catalog.build(loaded.files, loaded.headers)
    mine = [p for p in [*loaded.problems, *cross] if p.path == rel]
    print(f"Writing {rel} ({ident})")
    for problem in mine:
        print(problem.format())
    if any(p.severity == "error" for p in mine):
        return EXIT_USAGE
    print(
        f"next: describe the decision, add its constraints, then `charter validate`; "
        f"`charter explain {ident}` shows what it will check"
    )
    return EXIT_OK
