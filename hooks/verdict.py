"""The verdict: which findings a change introduces, and which of them block.

This is the one place that decides "is this violation introduced by the change?", for
``charter check``, the commit-msg hook, the Claude Code hook and the MCP server.

``judge_snapshot``: findings (``engine``) -> minus the baseline -> minus waived ones ->
minus those already in the base (a commit, or the tree a proposed change is laid over;
none with ``--all``) = the findings reported; they block when one is an error. A
constraint that names a first-party module the snapshot does not have is a
configuration error (exit 2): it would silently check nothing. A base commit's findings
are known by fingerprint only and are cached by its tree id, so a warm commit hook runs
the engine once, on the index.

``judge_change``: the staged change as a whole, with its commit message: the diff-level
kinds (``protected``, ``co-change``) of the staged decisions, less what the message's
``Charter-Waive`` trailers waive, plus governance weakenings no ``Charter-Approved-By``
trailer approves.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from charter.hooks import __version__, baseline, engine, waivers
from charter.hooks.decisions.active import ActiveConstraint
from charter.hooks.decisions.compile import load_active, load_active_from
from charter.hooks.errors import EXIT_OK, EXIT_VIOLATIONS
from charter.hooks.findings import Finding, number_occurrences
from charter.hooks.kinds import CHANGE_KINDS, change_findings
from charter.hooks.message import Message, waived_ids
from charter.hooks.report import Report
from charter.hooks.resolve import require_modules
from charter.hooks.settings import Settings
from charter.hooks.source import git
from charter.hooks.source.cache import Cache
from charter.hooks.source.changes import changes
from charter.hooks.source.paths import repository_paths
from charter.hooks.source.results import digest
from charter.hooks.source.snapshot import Commit, Index, Snapshot

WAIVE_HINT = (
    "to accept a protected or co-change violation in this commit, add the trailer "
    "'Charter-Waive: <decision id> -- <reason>' to the message"
)


@dataclass(frozen=True)
class Verdict:
    reported: tuple[Finding, ...]  # what the report shows (and what may block)
    preexisting: int = 0  # in the base already: not reported
    baselined: int = 0
    waived: int = 0
    notes: tuple[str, ...] = ()

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The reported findings that block."""
        return tuple(f for f in self.reported if f.severity == "error")

    @property
    def exit_code(self) -> int:
        return EXIT_VIOLATIONS if self.errors else EXIT_OK

    def report(self, root: Path) -> Report:
        return Report(
            findings=self.reported,
            preexisting=self.preexisting,
            baselined=self.baselined,
            waived=self.waived,
            notes=self.notes,
            root=root.as_posix(),
            tool_version=__version__,
        )


def judge_snapshot(
    current: Snapshot,
    base: str | Snapshot | None,
    decisions: Sequence[ActiveConstraint],
    settings: Settings,
    cache: Cache,
    files: Sequence[str] = (),
) -> Verdict:
    """Judge ``current`` against ``base``: a ref, a snapshot, or None (report every finding)."""
    wanted = set(repository_paths(settings.root, files, current.files())) if files else None
    findings, view = engine.run(current, decisions, settings, cache)
    require_modules(settings, decisions, view.files, view.index)
    if base is None:
        known: frozenset[str] = frozenset()
    elif isinstance(base, str):
        known = base_fingerprints(base, decisions, settings, cache)
    else:
        found, _ = engine.run(base, decisions, settings, cache)
        known = frozenset(f.fingerprint for f in found)
    baselined = baseline.fingerprints(settings.root / settings.baseline)
    applied = waivers.apply(
        [f for f in findings if f.fingerprint not in baselined],
        view.marked(f.path for f in findings),
        datetime.date.today(),
    )
    cache.save()
    reported = [f for f in applied.kept if f.fingerprint not in known]
    preexisting = len(applied.kept) - len(reported)
    if wanted is not None:
        reported = [f for f in reported if f.path in wanted]
    notes = [
        *sorted(set(view.notes)),
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
    cacheable = engine.cacheable(decisions)
    key = None
    if cacheable:
        plain = (
            settings.decisions,
            settings.source_roots,
            sorted(settings.packages.items()),
            settings.namespace_packages,
        )
        key = digest(
            __version__,
            git.tree_id(root, ref),
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


def judge_change(settings: Settings, message: Message) -> Verdict:
    """The staged change (the index against ``HEAD``) with its commit message."""
    root = settings.root
    base = Commit(root, "HEAD") if git.head_exists(root) else None
    current = Index(root)
    changed = changes(base, current)
    active = in_force(current, settings)
    findings = number_occurrences(change_findings(active, changed))
    merged = git.merge_head(root)
    if merged is not None:
        # A merge brings work already judged on its branch (its waivers and approvals
        # were checked there): only what is new against both parents counts.
        other = Commit(root, merged)
        again = number_occurrences(change_findings(active, changes(other, current)))
        findings = [f for f in findings if f.fingerprint in {g.fingerprint for g in again}]
    waived = set(waived_ids(message))
    kept = [f for f in findings if f.decision not in waived and f.constraint not in waived]
    notes = list(message.problems)
    used = {f.decision for f in findings} | {f.constraint for f in findings}
    notes.extend(f"'Charter-Waive: {i}' waives nothing in this commit" for i in waived - used)
    # Imported here: ``check --staged`` shares this module and never needs it.
    from charter.hooks import governance

    weakened = governance.weakenings(base, current, settings, changed)
    if merged is not None and weakened:
        other_changes = changes(other, current)
        also = {w.key for w in governance.weakenings(other, current, settings, other_changes)}
        weakened = [w for w in weakened if w.key in also]
    if weakened and message.approvals:
        notes.append(
            f"{len(weakened)} governance change(s) approved by {', '.join(message.approvals)}"
        )
    else:
        kept.extend(item.finding() for item in weakened)
    if any(f.kind in CHANGE_KINDS and f.severity == "error" for f in kept):
        notes.append(WAIVE_HINT)
    return Verdict(
        reported=tuple(kept),
        waived=len(findings) - sum(f.kind in CHANGE_KINDS for f in kept),
        notes=tuple(notes),
    )


def in_force(current: Index, settings: Settings) -> list[ActiveConstraint]:
    """The staged decisions; from disk when git tracks no file of the folder (one given
    with ``--decisions`` that lives under ``.git/``, as ``charter sim`` keeps its oracle,
    or one not added yet), as ``charter check`` reads it."""
    prefix = settings.decisions.rstrip("/") + "/"
    tracked = any(rel.startswith(prefix) for rel in current.files())
    if tracked or not (settings.root / settings.decisions).is_dir():
        return load_active_from(current, settings.decisions, settings.root / settings.cache_dir)
    return load_active(settings)
