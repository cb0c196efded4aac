"""``charter baseline``: record the current violations so that only new ones block.

The baseline is a ratchet: a second run prunes fixed entries and never adds new
violations unless ``--grow`` is given (and a governance check will ask for approval).
An entry is pruned only when Charter could read its file: a file that exists but cannot
be read or parsed now (permissions, not UTF-8, a syntax error) keeps its entries, since
its violations are unknown, not fixed.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

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
    unreadable = {
        rel: why
        for rel in sorted({e.get("path", "") for fp, e in old.items() if fp not in current})
        if (why := _unreadable(settings.root, rel)) is not None
    }
    kept.update({fp: e for fp, e in old.items() if e.get("path") in unreadable})
    if not existed or args.grow:
        kept.update(new)
    baseline.write(path, kept.values())
    pruned = len(old) - sum(fp in kept for fp in old)
    print(f"{settings.baseline}: {len(kept)} entries ({pruned} fixed and pruned)")
    for rel, why in unreadable.items():
        print(f"{rel}: entries kept, not pruned: Charter cannot read it now ({why}); fix it")
    if existed and new and not args.grow:
        print(
            f"{len(new)} new violation(s) not added: fix them, waive them with a reason, "
            "or run 'charter baseline --grow' (a governance change that needs approval)"
        )
    return EXIT_OK


def _unreadable(root: Path, rel: str) -> str | None:
    """Why an existing file cannot be read or parsed now (None: it can, or it is gone)."""
    path = root / rel
    if not rel or not (path.exists() or path.is_symlink()):
        return None
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
        if rel.endswith(".py"):
            ast.parse(text, rel)
    except OSError as exc:
        return exc.strerror or "cannot read"
    except UnicodeDecodeError:
        return "not valid UTF-8"
    except SyntaxError as exc:
        return f"syntax error on line {exc.lineno}"
    return None
