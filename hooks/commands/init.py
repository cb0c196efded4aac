"""``charter init``: starter decisions for what already holds, the baseline, the hooks.

Writes, and never overwrites a file it did not write without ``--force``:

- one ``proposed`` decision per inferred rule (``hooks/adopt/infer.py``) with its
  evidence, in the decisions folder; a later run finds them by name and keeps them;
- the baseline of what the rules find today (when there is no baseline yet);
- the Charter block of the agents' instruction files (AGENTS.md, CLAUDE.md, ... as
  `agent_files` picks; a managed block, the rest is kept);
- ``.pre-commit-config.yaml`` with Charter's hooks (when there is none; otherwise the
  block is printed to paste).

``--accept`` turns the proposals ``init`` wrote into accepted decisions: from then on
a commit that breaks one is blocked.
"""

from __future__ import annotations

import argparse
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK
from charter.hooks.settings import Settings

HELP = "write starter decisions inferred from the import graph, the baseline and the hooks"
PRE_COMMIT = ".pre-commit-config.yaml"


@dataclass
class Written:
    """What this run wrote and kept, repository-relative, for the summary."""

    wrote: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    baseline_entries: int = 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument(
        "--accept",
        action="store_true",
        help="accept the proposals init wrote (status: accepted): they are then enforced",
    )
    parser.add_argument(
        "--force", action="store_true", help="rewrite files init would otherwise keep"
    )


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    written = Written()
    records = _decisions(settings, args.force, written)
    if args.accept:
        from charter.hooks.adopt.records import accept

        for path in accept(records):
            name = _relative(settings, path)
            written.kept = [kept for kept in written.kept if kept != name]
            written.wrote.append(f"{name} (accepted)")
    _baseline(settings, args.force, written)
    _agents_md(settings, written)
    _pre_commit(settings, written)
    _summary(settings, written, accepted=args.accept)
    return EXIT_OK


def _relative(settings: Settings, path: Path) -> str:
    return path.relative_to(settings.root).as_posix()


def _decisions(settings: Settings, force: bool, written: Written) -> list[Path]:
    """Write a record per proposal; the paths of every record init owns."""
    from charter.hooks.adopt.infer import propose
    from charter.hooks.adopt.records import existing, next_number, render
    from charter.hooks.source.cache import Cache
    from charter.hooks.source.snapshot import WorkTree
    from charter.hooks.view import SnapshotView

    view = SnapshotView(
        WorkTree(settings.root), settings, Cache(settings.root / settings.cache_dir)
    )
    folder = settings.root / settings.decisions
    folder.mkdir(parents=True, exist_ok=True)
    today = datetime.date.today()
    paths = []
    for proposal in propose(view):
        path = existing(folder, proposal.slug)
        if path is not None and not force:
            written.kept.append(_relative(settings, path))
            paths.append(path)
            continue
        number = int(path.name[:4]) if path else next_number(folder)
        path = path or folder / f"{number:04d}-{proposal.slug}.md"
        path.write_text(render(proposal, number, "proposed", today), encoding="utf-8")
        written.wrote.append(_relative(settings, path))
        paths.append(path)
    if not paths:
        written.notes.append("no package with three or more modules: no layer to infer")
    return paths


def _baseline(settings: Settings, force: bool, written: Written) -> None:
    from charter.hooks import baseline, engine
    from charter.hooks.decisions.compile import load_active
    from charter.hooks.source.cache import Cache
    from charter.hooks.source.snapshot import WorkTree

    path = settings.root / settings.baseline
    if path.exists() and not force:
        written.kept.append(settings.baseline)
        return
    cache = Cache(settings.root / settings.cache_dir)
    findings, _ = engine.run(WorkTree(settings.root), load_active(settings), settings, cache)
    if not findings:
        return
    baseline.write(path, [baseline.entry(f) for f in findings])
    written.baseline_entries = len({f.fingerprint for f in findings})
    count = written.baseline_entries
    written.wrote.append(f"{settings.baseline} ({count} entr{'y' if count == 1 else 'ies'})")


def _agents_md(settings: Settings, written: Written) -> None:
    from charter.hooks.agents import agents_md, surfaces
    from charter.hooks.agents.records import load_records
    from charter.hooks.source.files import repository_files

    records = load_records(settings)
    files = repository_files(settings.root)
    wanted = settings.agent_files  # the agents' instruction files the team picked
    for change in surfaces.changes(settings.root, records, settings.decisions, files, wanted):
        agents_md.write(settings.root, change)
        written.wrote.append(f"{change.path} (the Charter block)")


def _pre_commit(settings: Settings, written: Written) -> None:
    from charter.hooks.adopt.records import pre_commit_block

    path = settings.root / PRE_COMMIT
    block = pre_commit_block(settings.decisions)
    if not path.exists():
        path.write_text("repos:\n" + block, encoding="utf-8")
        written.wrote.append(PRE_COMMIT)
        return
    if "charter-check" in path.read_text(encoding="utf-8"):
        written.notes.append(f"kept  {PRE_COMMIT} (it runs Charter's hooks)")
        return
    written.notes.append(f"{PRE_COMMIT} exists: add these lines under its 'repos:'\n{block}")


def _baselined(settings: Settings) -> bool:
    from charter.hooks import baseline

    return bool(baseline.load(settings.root / settings.baseline))


def _summary(settings: Settings, written: Written, accepted: bool) -> None:
    for line in written.wrote:
        print(f"wrote {line}")
    for line in written.kept:
        print(f"kept  {line} (exists; --force rewrites it)")
    for note in written.notes:
        print(note)
    if not written.wrote:
        print("nothing to write: everything init writes is there")
    trailer = ""
    if written.baseline_entries or _baselined(settings):
        trailer = ' -m "Charter-Approved-By: <your name>"'  # a new baseline needs approval
    print("\nnext:")
    print("  pre-commit install --hook-type pre-commit --hook-type commit-msg")
    print(f'  git add -A && git commit -m "Adopt Charter"{trailer}')
    if not accepted:
        print("  charter init --accept   # after review: enforce the proposals, then commit")
    else:
        print("  charter check --all     # what the accepted decisions find in the tree")
