"""The verdict on a snapshot: which findings block, and what the report counts.

A constraint that names a first-party module the snapshot does not have is a
configuration error (exit 2): it would silently check nothing.

findings (``engine``) -> minus the baseline -> minus waived ones -> minus those already
in the base commit (unless ``--all``) = the findings reported; they block when one is
an error. The base commit's findings are known by fingerprint only and are cached by
its tree id, so a warm commit hook runs the engine once, on the index.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from charter.hooks import __version__, baseline, engine, waivers
from charter.hooks.decisions.active import ActiveConstraint
from charter.hooks.decisions.compile import require_modules
from charter.hooks.findings import Finding
from charter.hooks.settings import Settings
from charter.hooks.source.cache import Cache
from charter.hooks.source.paths import repository_paths
from charter.hooks.source.results import digest
from charter.hooks.source.snapshot import Commit, Snapshot, tree_id


@dataclass(frozen=True)
class Verdict:
    reported: tuple[Finding, ...]  # what the report shows (and what may block)
    preexisting: int  # in the base already: not reported
    baselined: int
    waived: int
    notes: tuple[str, ...]

    @property
    def blocking(self) -> bool:
        return any(f.severity == "error" for f in self.reported)


def judge(
    current: Snapshot,
    base_ref: str | None,
    decisions: Sequence[ActiveConstraint],
    settings: Settings,
    cache: Cache,
    files: Sequence[str] = (),
) -> Verdict:
    """Judge ``current`` against ``base_ref`` (None: report every finding)."""
    wanted = set(repository_paths(settings.root, files, current.files())) if files else None
    findings, context = engine.run(current, decisions, settings, cache)
    require_modules(settings, decisions, context.files, context.index)
    base: frozenset[str] = frozenset()
    if base_ref is not None:
        base = base_fingerprints(base_ref, decisions, settings, cache)
    baselined = baseline.fingerprints(settings.root / settings.baseline)
    applied = waivers.apply(
        [f for f in findings if f.fingerprint not in baselined],
        context.marked_lines,
        datetime.date.today(),
    )
    cache.save()
    reported = [f for f in applied.kept if f.fingerprint not in base]
    preexisting = len(applied.kept) - len(reported)
    if wanted is not None:
        reported = [f for f in reported if f.path in wanted]
    notes = [
        *sorted(set(context.notes)),
        *(f"{w.path}:{w.line}: waiver waives nothing: {w.problem}" for w in applied.invalid),
        *(f"{w.path}:{w.line}: unused waiver for {', '.join(w.ids)}" for w in applied.unused),
    ]
    return Verdict(
        reported=tuple(reported),
        preexisting=preexisting,
        baselined=sum(f.fingerprint in baselined for f in findings),
        waived=len(applied.waived),
        notes=tuple(notes),
    )


def base_fingerprints(
    ref: str, decisions: Sequence[ActiveConstraint], settings: Settings, cache: Cache
) -> frozenset[str]:
    """Fingerprints of every finding in ``ref``, cached by its tree id.

    Not cached when a ``python`` plugin is in force: its code may live outside the tree.
    """
    root = settings.root
    cacheable = not any(d.kind not in engine.FILE_KINDS | engine.GRAPH_KINDS for d in decisions)
    key = None
    if cacheable:
        tree = tree_id(root, ref)
        plain = (settings.decisions, settings.source_roots, sorted(settings.packages.items()))
        key = digest(
            __version__,
            tree,
            engine.describe(decisions),
            engine.tool_versions(decisions),
            plain,
            settings.exclude,
        )
        cached = cache.results.fingerprints(key)
        if cached is not None:
            return cached
    findings, _ = engine.run(Commit(root, ref), decisions, settings, cache)
    fingerprints = frozenset(f.fingerprint for f in findings)
    if key is not None:
        cache.results.put_fingerprints(key, fingerprints)
    return fingerprints
