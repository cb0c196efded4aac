"""``charter check``: check a snapshot against the decisions in force.

By default the working tree is checked (``--staged``: the index, what the next commit
holds; ``--to-ref``: a commit) and only violations *introduced* by the change block:
those neither in the baseline nor present in the base (``HEAD``, or ``--from-ref``),
matched by fingerprint. Pre-existing ones are counted in one line. ``--all`` reports
every violation that is not baselined or waived.

The rules come from the snapshot judged: under ``--staged`` the decisions, the baseline,
the settings (``[tool.charter]``, ``.charter.toml``) and the code of ``python`` checks are
the staged ones; under a range, each commit's own. With nothing staged (``pre-commit run
--all-files``), ``--staged`` checks the whole index as ``--all`` would.

``--from-ref BASE --to-ref TIP`` (and pre-commit's pre-push stage) judges every commit
of the range on its own, with every kind: the snapshot kinds against its parents, and
``protected``, ``co-change`` and governance integrity with its approvals verified
(``verdict.judge_range``), so a commit made with ``--no-verify`` is caught there.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from charter.hooks.commands.options import (
    add_config_flags,
    add_resident_flag,
    root_of,
    settings_loader,
    write_report,
)
from charter.hooks.host_approvals import HOST_VARIABLE, host_approved

if TYPE_CHECKING:
    from charter.hooks.settings import Settings
    from charter.hooks.source.snapshot import Snapshot, WorkTree
    from charter.hooks.verdict import Verdict

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
    add_resident_flag(parser, "docs/hooks.md")
    parser.add_argument(
        "--approved",
        action="append",
        default=[],
        metavar="SHA",
        help=f"a commit the code host approved (CI; repeatable; or {HOST_VARIABLE})",
    )


@dataclass(frozen=True)
class CheckRequest:
    """What to check against what, read from the flags (and pre-commit's environment)."""

    staged: bool
    to_ref: str | None
    from_ref: str | None
    every: bool  # --all
    files: tuple[str, ...]
    use_cache: bool
    approved: tuple[str, ...] = ()  # commits the code host approved

    @classmethod
    def from_args(cls, args: argparse.Namespace, environ: Mapping[str, str]) -> CheckRequest:
        request = cls(
            staged=args.staged,
            to_ref=args.to_ref,
            from_ref=args.from_ref,
            every=args.all,
            files=tuple(args.files),
            use_cache=not args.no_cache,
            approved=host_approved(environ, tuple(args.approved)),
        )
        # Under pre-commit's pre-push stage, check the pushed range.
        if not (args.to_ref or args.from_ref) and environ.get("PRE_COMMIT_TO_REF"):
            pushed = environ["PRE_COMMIT_TO_REF"]
            pushed_from = environ.get("PRE_COMMIT_FROM_REF") or None
            return replace(request, staged=False, to_ref=pushed, from_ref=pushed_from)
        return request

    @property
    def is_range(self) -> bool:
        return bool(self.to_ref and self.from_ref and not self.every)

    def judged(self, root: Path) -> Snapshot | None:
        """The snapshot judged, whose files hold the settings: the index (``--staged``)
        or a commit (``--to-ref``); None for the working tree, and for a range, whose
        commits each hold their own."""
        from charter.hooks.source.snapshot import Commit, Index

        if self.staged:
            return Index(root)
        if self.to_ref and not self.is_range:
            return Commit(root, self.to_ref)
        return None


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    request = CheckRequest.from_args(args, os.environ)
    from charter.hooks.source import git

    tree = None
    root = root_of(args)
    if not (request.staged or request.to_ref):
        from charter.hooks.source.snapshot import WorkTree

        tree = WorkTree(root)  # git lists it while the rest is imported
    with git.ahead(root, *(_staged_questions(root) if request.staged else ())):
        # Imported while git answers: reading the settings waits on its listing.
        import charter.hooks.verdict  # noqa: F401

        settings_of = settings_loader(args, request.judged)
        settings = settings_of(None)
        verdict = judge(request, settings, settings_of, tree)
    write_report(verdict.report(settings.root), settings.format)
    if settings.journal and request.staged:
        from charter.hooks import journal

        latency = (time.perf_counter() - started) * 1000
        warning = journal.try_record(
            settings.root, "pre-commit", verdict.exit_code, latency, verdict.errors
        )
        if warning:
            print(f"charter: {warning}", file=sys.stderr)
    return verdict.exit_code


def _staged_questions(root: Path) -> list[tuple[str, ...]]:
    """What judging the index asks git, started at once so that the answers overlap
    each other and the imports: which paths are staged, the base (``HEAD``, its tree,
    the renames from it) and, unless the listing is cached, the index's listing."""
    from charter.hooks.source.early import staged_questions
    from charter.hooks.source.snapshot import index_questions

    return [*staged_questions(), *index_questions(root)]


def judge(
    request: CheckRequest,
    settings: Settings,
    settings_of: Callable[[Snapshot | None], Settings],
    tree: WorkTree | None = None,
) -> Verdict:
    """The verdict on the snapshot (or the range of commits) the request names.

    ``settings`` are those of the snapshot judged; ``settings_of`` gives a commit's own;
    ``tree`` is the working tree, when it is judged and its listing was started early.
    """
    from charter.hooks.decisions.compile import load_active
    from charter.hooks.engine import Ahead
    from charter.hooks.source import git
    from charter.hooks.source.cache import Cache
    from charter.hooks.source.snapshot import WorkTree
    from charter.hooks.verdict import in_force, judge_range, judge_snapshot, prepare

    root = settings.root
    cache = Cache(root / settings.cache_dir if request.use_cache else None)
    if request.is_range:
        assert request.from_ref is not None and request.to_ref is not None
        return judge_range(
            settings, settings_of, request.from_ref, request.to_ref, cache, request.approved
        )
    every = request.every
    view = None
    if settings.source is not None:  # the index (--staged) or a commit (--to-ref)
        current: Snapshot = settings.source
        decisions = in_force(current, settings)
        # Nothing staged: pre-commit's --all-files (CI), which asks about the whole tree.
        every = every or (request.staged and not git.staged_paths(root))
    else:
        current = tree if tree is not None and tree.root == root else WorkTree(root)
        settings = replace(settings, source=current)  # plugin code: the tree's, for the base too
        # The one place where independent work overlaps: on a fresh clone, the tree is
        # listed and scanned while the decisions are validated, in a forked child where
        # one can be, which then parses the files the per-file kinds read (engine.Ahead,
        # decisions/forked.py).
        prepare((), None)  # what judging imports, while git lists the tree
        with Ahead(current, settings, cache) as ahead:
            decisions = load_active(settings, use_cache=request.use_cache, beside=ahead)
            # With a thread scanning the tree, the cache is the thread's until it is done:
            # only the imports are done meanwhile.
            kept = None if ahead.scanning else cache
            view = ahead.view(decisions, meanwhile=lambda: prepare(decisions, kept))
    base = None
    if not every:
        base = request.from_ref or ("HEAD" if git.head_exists(root) else None)
    return judge_snapshot(current, base, decisions, settings, cache, request.files, view=view)
