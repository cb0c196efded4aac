"""``charter baseline``: record the current violations so that only new ones block.

The baseline is a ratchet: a second run prunes fixed entries and never adds new
violations unless ``--grow`` is given (and a governance check will ask for approval).
"""

from __future__ import annotations

import argparse

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK

HELP = "record current violations in the baseline (pruning fixed ones; --grow adds new ones)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument("--baseline", metavar="FILE", help="baseline file")
    parser.add_argument(
        "--grow", action="store_true", help="also add violations not yet in the baseline"
    )


def run(args: argparse.Namespace) -> int:
    from charter.hooks import baseline, engine
    from charter.hooks.decisions.compile import load_active
    from charter.hooks.source.cache import Cache
    from charter.hooks.source.snapshot import WorkTree

    settings = settings_from(args)
    decisions = load_active(settings)
    cache = Cache(settings.root / settings.cache_dir)
    findings, _ = engine.run(WorkTree(settings.root), decisions, settings, cache)
    path = settings.root / settings.baseline
    existed = path.is_file()
    old = {e["fingerprint"]: e for e in baseline.load(path)}
    current = {f.fingerprint: baseline.entry(f) for f in findings}
    kept = {fp: entry for fp, entry in current.items() if fp in old}
    new = {fp: entry for fp, entry in current.items() if fp not in old}
    if not existed or args.grow:
        kept.update(new)
    # A file that does not parse or cannot be read this time was not checked: its
    # entries are kept, not pruned as if fixed (the ratchet must not lose them).
    unchecked = {f.path for f in findings if f.kind in ("syntax-error", "unreadable")}
    held = {fp: e for fp, e in old.items() if fp not in kept and e.get("path") in unchecked}
    kept.update(held)
    baseline.write(path, kept.values())
    pruned = len(old) - sum(fp in kept for fp in old)
    print(f"{settings.baseline}: {len(kept)} entries ({pruned} fixed and pruned)")
    if held:
        files = ", ".join(sorted({str(e.get("path")) for e in held.values()}))
        print(f"{len(held)} entries kept for files Charter could not check this time: {files}")
    if existed and new and not args.grow:
        print(
            f"{len(new)} new violation(s) not added: fix them, waive them with a reason, "
            "or run 'charter baseline --grow' (a governance change that needs approval)"
        )
    return EXIT_OK
