"""``charter fix [FILES...]`` and the ``charter-fix`` hook: apply the autofixes.

Runs the engine on the working tree, takes the violations that have an autofix — a
``banned-api`` constraint with a ``replacement``, a ``forbid-import`` constraint with a
``replacement`` module — and rewrites the files with LibCST (``charter.hooks.fixes``),
keeping formatting and comments. Waived violations are left alone. Prints
``Fixing <path>`` for each file it changed and exits 1 when it changed any (the
pre-commit convention for fixers); ``--diff`` prints the changes instead of writing.
Idempotent: a second run finds nothing to fix.
"""

from __future__ import annotations

import argparse
import sys

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK, EXIT_VIOLATIONS

HELP = "apply autofixes (banned-api replacements, forbidden-import rewrites); exit 1 if any"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument("files", nargs="*", metavar="FILE", help="fix only these files")
    parser.add_argument("--diff", action="store_true", help="show the fixes, do not write them")


def run(args: argparse.Namespace) -> int:
    import datetime
    import difflib

    from charter.hooks import engine, waivers
    from charter.hooks.decisions.compile import load_active
    from charter.hooks.fixes import Failed, Fixed, Plan, fix_source
    from charter.hooks.source import writes
    from charter.hooks.source.cache import Cache
    from charter.hooks.source.paths import repository_paths
    from charter.hooks.source.snapshot import WorkTree

    settings = settings_from(args)
    root = settings.root
    decisions = load_active(settings)
    fixable = {d.id: d for d in decisions if getattr(d.constraint, "replacement", None)}
    if not fixable:
        return EXIT_OK
    cache = Cache(root / settings.cache_dir)
    findings, context = engine.run(WorkTree(root), decisions, settings, cache)
    cache.save()
    kept = waivers.apply(findings, context.marked_lines, datetime.date.today()).kept
    wanted = set(repository_paths(root, args.files, WorkTree(root).files()))
    names: dict[str, dict[str, str]] = {}
    modules: dict[str, dict[str, str]] = {}
    for finding in kept:
        active = fixable.get(finding.constraint)
        if active is None or (wanted and finding.path not in wanted):
            continue
        if active.kind == "banned-api":
            names.setdefault(finding.path, {})[finding.key] = active.constraint.replacement
        elif active.kind == "forbid-import":
            for target in active.constraint.to:
                modules.setdefault(finding.path, {})[target] = active.constraint.replacement

    changed = failed = False
    for path in sorted(set(names) | set(modules)):
        plan = Plan(names.get(path, {}), modules.get(path, {}))
        text = context.text(path)
        if text is None:
            continue
        result = fix_source(path, text, context.module_of.get(path, ""), plan)
        if isinstance(result, Failed):
            failed = True
            print(f"charter: cannot fix {path}: {result.reason}", file=sys.stderr)
        elif isinstance(result, Fixed):
            changed = True
            if args.diff:
                sys.stdout.writelines(
                    difflib.unified_diff(
                        result.before.splitlines(keepends=True),
                        result.after.splitlines(keepends=True),
                        f"a/{path}",
                        f"b/{path}",
                    )
                )
            else:
                writes.write_text(root, path, result.after)
                print(f"Fixing {path}")
    return EXIT_VIOLATIONS if changed or failed else EXIT_OK
