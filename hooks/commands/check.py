"""``charter check``: check a snapshot against the decisions in force.

By default the working tree is checked (``--staged``: the index, what the next commit
holds; ``--to-ref``: a commit) and only violations *introduced* by the change block:
those neither in the baseline nor present in the base (``HEAD``, or ``--from-ref``),
matched by fingerprint. Pre-existing ones are counted in one line. ``--all`` reports
every violation that is not baselined or waived.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK, EXIT_VIOLATIONS

HELP = "check the code against the decisions in force; block violations the change introduces"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument("files", nargs="*", metavar="FILE", help="report only these files")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--staged", action="store_true", help="check the index, not the tree")
    which.add_argument("--to-ref", metavar="REF", help="check this commit")
    parser.add_argument("--from-ref", metavar="REF", help="base to compare with (default HEAD)")
    parser.add_argument(
        "--all", action="store_true", help="report every violation, not just new ones"
    )
    parser.add_argument(
        "--format", choices=("text", "json", "sarif", "github"), help="output format"
    )
    parser.add_argument("--baseline", metavar="FILE", help="baseline file")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the cache")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    from charter.hooks import __version__
    from charter.hooks.decisions.compile import load_active
    from charter.hooks.report import FORMATS, Report
    from charter.hooks.source.cache import Cache
    from charter.hooks.source.snapshot import Commit, Index, Snapshot, WorkTree, head_exists
    from charter.hooks.verdict import judge

    settings, _ = settings_from(args)
    root = settings.root
    # Under pre-commit's pre-push stage, check the pushed range.
    if not (args.to_ref or args.from_ref) and os.environ.get("PRE_COMMIT_TO_REF"):
        args.staged = False
        args.to_ref = os.environ["PRE_COMMIT_TO_REF"]
        args.from_ref = os.environ.get("PRE_COMMIT_FROM_REF") or None
    decisions = load_active(settings, use_cache=not args.no_cache)
    cache = Cache(None if args.no_cache else root / settings.cache_dir)
    if args.staged:
        current: Snapshot = Index(root)
    elif args.to_ref:
        current = Commit(root, args.to_ref)
    else:
        current = WorkTree(root)
    base_ref = None
    if not args.all:
        base_ref = args.from_ref or ("HEAD" if head_exists(root) else None)
    verdict = judge(current, base_ref, decisions, settings, cache, args.files)

    report = Report(
        findings=verdict.reported,
        preexisting=verdict.preexisting,
        baselined=verdict.baselined,
        waived=verdict.waived,
        notes=verdict.notes,
        root=root.as_posix(),
        tool_version=__version__,
    )
    output = FORMATS[settings.format](report)
    if output:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
    blocking = [f for f in verdict.reported if f.severity == "error"]
    code = EXIT_VIOLATIONS if blocking else EXIT_OK
    if settings.journal and args.staged:
        from charter.hooks import journal

        latency = (time.perf_counter() - started) * 1000
        warning = journal.try_record(root, "pre-commit", code, latency, blocking)
        if warning:
            print(f"charter: {warning}", file=sys.stderr)
    return code
