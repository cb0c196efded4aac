"""``charter fix [FILES...]`` and the ``charter-fix`` hook: apply the autofixes.

Runs the engine on the working tree, takes the violations whose kind has an autofix
(``Kind.fix``) and whose constraint names a ``replacement``, and rewrites the files
with LibCST (``charter.hooks.fixes``), keeping formatting and comments. Waived
violations are left alone. Prints ``Fixing <path>`` for each file it changed and exits
1 when it changed any (the pre-commit convention for fixers); ``--diff`` prints the
changes instead of writing. Idempotent: a second run finds nothing to fix.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK, EXIT_VIOLATIONS
from charter.hooks.fixes import Failed, Fixed, Plan, fix_source

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.settings import Settings
    from charter.hooks.source.snapshot import WorkTree
    from charter.hooks.view import SnapshotView

HELP = "apply autofixes (banned-api replacements, forbidden-import rewrites); exit 1 if any"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument("files", nargs="*", metavar="FILE", help="fix only these files")
    parser.add_argument("--diff", action="store_true", help="show the fixes, do not write them")


def run(args: argparse.Namespace) -> int:
    from charter.hooks.decisions.compile import load_active

    settings = settings_from(args)
    decisions = load_active(settings)
    fixable = {d.id: d for d in decisions if getattr(d.constraint, "replacement", None)}
    if not fixable:
        return EXIT_OK
    from charter.hooks.source.snapshot import WorkTree

    tree = WorkTree(settings.root)  # listed once, for the FILE arguments and the engine
    wanted = _wanted(tree, args.files)
    plans, lines, view = _plans(settings, tree, fixable, wanted)
    changed = failed = False
    for path in sorted(plans):
        text = view.text(path)
        if text is None:
            continue
        module = view.module_of.get(path, "")
        result = fix_source(path, text, module, plans[path], lines[path])
        if isinstance(result, Failed):
            failed = True
            print(f"charter: cannot fix {path}: {result.reason}", file=sys.stderr)
        elif isinstance(result, Fixed):
            changed = True
            _write(settings.root, result, args.diff)
    return EXIT_VIOLATIONS if changed or failed else EXIT_OK


def _plans(
    settings: Settings,
    tree: WorkTree,
    fixable: Mapping[str, ActiveConstraint],
    wanted: set[str],
) -> tuple[dict[str, Plan], dict[str, set[int]], SnapshotView]:
    """Each file's autofix plan: what its unwaived fixable findings ask to rewrite, and
    the lines they are on (LibCST is shown only the statements there)."""
    from charter.hooks import engine, waivers
    from charter.hooks.kinds import KINDS
    from charter.hooks.source.cache import Cache

    cache = Cache(settings.root / settings.cache_dir)
    # Only the fixable constraints run: the others' findings could not be fixed, and the
    # import graph is not built unless a fixable kind reads it.
    findings, view = engine.run(tree, list(fixable.values()), settings, cache)
    cache.save()
    marked = view.marked(f.path for f in findings)
    kept = waivers.apply(findings, marked, datetime.date.today()).kept
    names: dict[str, dict[str, str]] = {}
    modules: dict[str, dict[str, str]] = {}
    lines: dict[str, set[int]] = {}
    for finding in kept:
        active = fixable.get(finding.constraint)
        fix = None if active is None else KINDS[active.kind].fix
        if active is None or fix is None or (wanted and finding.path not in wanted):
            continue
        rewrite = fix(active.constraint, finding)
        lines.setdefault(finding.path, set()).add(finding.line)
        names.setdefault(finding.path, {}).update(rewrite.names)
        modules.setdefault(finding.path, {}).update(rewrite.modules)
    plans = {path: Plan(names[path], modules[path]) for path in names}
    return plans, lines, view


def _write(root: Path, result: Fixed, diff: bool) -> None:
    """Show the fix as a unified diff, or write it and say so."""
    if diff:
        sys.stdout.writelines(
            difflib.unified_diff(
                result.before.splitlines(keepends=True),
                result.after.splitlines(keepends=True),
                f"a/{result.path}",
                f"b/{result.path}",
            )
        )
    else:
        from charter.hooks.source import writes

        writes.write_text(root, result.path, result.after)  # never through a symlink
        print(f"Fixing {result.path}")


def _wanted(tree: WorkTree, names: Sequence[str]) -> set[str]:
    """FILE arguments as repository paths (``./``, absolute, from a subfolder, a folder)."""
    from charter.hooks.source.paths import repository_paths

    return set(repository_paths(tree.root, names, tree.files())) if names else set()
