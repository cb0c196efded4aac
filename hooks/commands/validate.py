"""``charter validate``: check the configuration and every decision record.

All problems are reported, each as ``path:line: severity: message``; errors exit 2,
warnings alone exit 0 (``--strict``: 2). Nothing is skipped without a word.
"""

from __future__ import annotations

import argparse

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK, EXIT_USAGE

HELP = "check the configuration and the decision records; report every problem"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 2)")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="also list the decisions and their status"
    )


def run(args: argparse.Namespace) -> int:
    from charter.hooks import resolve
    from charter.hooks.decisions import catalog, load
    from charter.hooks.diagnostics import sort_key
    from charter.hooks.globs import GlobSet
    from charter.hooks.source.files import repository_files
    from charter.hooks.source.modules import build_index
    from charter.hooks.source.requirements import declared

    settings = settings_from(args)
    loaded = load.load_folder(settings.root, settings.decisions)
    decisions, cross_problems = catalog.build(loaded.files, loaded.headers)
    files = repository_files(settings.root, GlobSet(settings.exclude))
    index = build_index(
        files, settings.source_roots, settings.packages, settings.namespace_packages
    )
    repository_problems = resolve.check(decisions, files, index, declared(settings.root))
    problems = sorted([*loaded.problems, *cross_problems, *repository_problems], key=sort_key)
    if args.verbose:
        for item in decisions.files:
            count = len(item.decision.constraints)
            print(
                f"{item.decision.id:<12} {decisions.status(item):<10} "
                f"{count:>2} constraint{'s' if count != 1 else ' '}  {item.path}: "
                f"{item.decision.title}"
            )
        for path in loaded.skipped:
            print(f"{'-':<12} {'(docs)':<10}  not a decision: {path}")
    for problem in problems:
        print(problem.format())
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if problems or args.verbose:
        print(_summary(len(decisions.files), errors, warnings))
    failed = errors or (args.strict and warnings)
    return EXIT_USAGE if failed else EXIT_OK


def _summary(decisions: int, errors: int, warnings: int) -> str:
    def plural(count: int, word: str) -> str:
        return f"{count} {word}{'' if count == 1 else 's'}"

    return (
        f"{plural(decisions, 'valid decision')}; "
        f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
    )
