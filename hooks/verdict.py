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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from charter.hooks import __version__
from charter.hooks.decisions.compile import load_active, load_active_from
from charter.hooks.errors import EXIT_OK, EXIT_VIOLATIONS, CharterError
from charter.hooks.findings import Finding, number_occurrences
from charter.hooks.kinds import change_findings, judges_change
from charter.hooks.message import Message, waived_ids
from charter.hooks.report import Report
from charter.hooks.source import git
from charter.hooks.source.changes import changes, renames
from charter.hooks.source.snapshot import Commit, Index, Overlay, Snapshot

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.settings import Settings
    from charter.hooks.source.cache import Cache
    from charter.hooks.view import SnapshotView

# The words that approve are in the team's documentation, not in the message an agent
# reads when it is blocked.
WAIVE_HINT = (
    "a protected or co-change violation may be accepted for one commit only with a "
    "maintainer's approval (docs/governance.md)"
)
NOT_VERIFIED = (
    "no verifiable approval: approvals count only when signed by a key in "
    ".charter/approvers or given by the code host (docs/governance.md)"
)
PROVISIONAL = (
    "the approval is provisional: the commit must be signed by that approver (or tagged "
    "charter-approved/...), which the range check (pre-push, CI) verifies"
)


@dataclass(frozen=True)
class Verdict:
    """A judged snapshot or change: what is reported, what is not and why, the exit code."""

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


def prepare(decisions: Sequence[ActiveConstraint], cache: Cache | None) -> None:
    """Import what judging a snapshot runs (``judge_snapshot``'s imports, the kinds in
    force) and read the caches a warm run reads (None: they are another thread's until
    it is done): work for a thread that waits on git or grimp (``engine.Ahead.view``)."""
    from charter.hooks import baseline, edges, engine, waivers  # noqa: F401 - imported now
    from charter.hooks.kinds import KINDS
    from charter.hooks.resolve import require_modules  # noqa: F401 - imported now

    for name in {active.kind for active in decisions}:
        KINDS[name]  # its module, imported now
    if cache is not None:
        cache.preload(tables=1)  # the last one used: the tree's, unless it changed


def judge_snapshot(
    current: Snapshot,
    base: str | tuple[str, ...] | Snapshot | None,
    decisions: Sequence[ActiveConstraint],
    settings: Settings,
    cache: Cache,
    files: Sequence[str] = (),
    in_range: bool = False,
    view: SnapshotView | None = None,
) -> Verdict:
    """Judge ``current`` against ``base``: a ref, several (a merge's parents), a snapshot,
    or None (report every finding). The baseline is the one ``current`` holds.

    ``in_range``: a commit of a range, whose change is judged too (``judge_diff``): a
    module a rule named in a parent and this commit renamed or removed is reported there,
    as a governance weakening, not here as a configuration error. ``view``: the view of
    ``current`` built beforehand (``engine.Ahead``), or None.
    """
    # The engine and what judges a snapshot are imported here: the commit-msg hook, which
    # judges only the change (``judge_change``), never pays for them (tests/test_startup.py).
    from charter.hooks import baseline, edges, engine, waivers
    from charter.hooks.resolve import require_modules
    from charter.hooks.source.paths import repository_paths

    wanted = set(repository_paths(settings.root, files, current.files())) if files else None
    # The cache is written once, below, with what the waivers read as well (a hook's
    # results file is ~0.2 MB: writing it twice per commit was measurable).
    findings, view = engine.run(current, decisions, settings, cache, view, save=False)
    parents = base if isinstance(base, tuple) else (base,) if isinstance(base, str) else ()
    existed = _in_any(parents, settings) if in_range else None
    require_modules(settings, decisions, view.files, view.index, current, existed)
    known = _known(base, decisions, settings, cache, current, view, findings)
    baselined = baseline.fingerprints_in(current, settings.baseline)
    # A file renamed by the change keeps its baselined and pre-existing violations.
    parent = base if isinstance(base, str) else None
    if isinstance(base, tuple) and len(base) == 1:
        parent = base[0]
    moved = renames(Commit(settings.root, parent), current) if parent else {}
    if moved:
        aliases = {
            f.fingerprint: replace(f, path=moved[f.path]).fingerprint
            for f in findings
            if f.path in moved
        }
        baselined = baselined | {fp for fp, old in aliases.items() if old in baselined}
        known = known | {fp for fp, old in aliases.items() if old in known}
    applied = waivers.apply(
        [f for f in findings if f.fingerprint not in baselined],
        view.marked(f.path for f in findings),
    )
    cache.save()
    reported = [f for f in applied.kept if f.fingerprint not in known]
    preexisting = len(applied.kept) - len(reported)
    if base is not None:  # a change: one finding per import it adds (edges.py)
        reported = edges.by_edge(reported, view.index.modules)
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


def _known(
    base: str | tuple[str, ...] | Snapshot | None,
    decisions: Sequence[ActiveConstraint],
    settings: Settings,
    cache: Cache,
    current: Snapshot,
    view: SnapshotView,
    findings: Sequence[Finding],
) -> frozenset[str]:
    """The fingerprints of the findings already in ``base`` (none without a base);
    ``findings`` are those of ``current``, seen in ``view``."""
    from charter.hooks import engine

    if base is None:
        return frozenset()
    if isinstance(base, str):
        return base_fingerprints(base, decisions, settings, cache)
    if isinstance(base, tuple):  # a merge's parents: known when in any of them
        return frozenset().union(
            *(base_fingerprints(ref, decisions, settings, cache) for ref in base)
        )
    if isinstance(current, Overlay) and current.base is base:  # an edit: judge what it changes
        found = engine.run_beneath(base, current.changed, decisions, view, findings)
    else:
        found, _ = engine.run(base, decisions, settings, cache)
    return frozenset(f.fingerprint for f in found)


def _in_any(refs: Sequence[str], settings: Settings) -> Callable[[str], bool]:
    """Whether a module pattern names a module of any of the commits ``refs``."""
    from charter.hooks.source.modules import build_index

    def existed(name: str) -> bool:
        for ref in refs:
            files = Commit(settings.root, ref).files()
            index = build_index(
                files, settings.source_roots, settings.packages, settings.namespace_packages
            )
            if index.resolves(name):
                return True
        return False

    return existed


def base_fingerprints(
    ref: str, decisions: Sequence[ActiveConstraint], settings: Settings, cache: Cache
) -> frozenset[str]:
    """Fingerprints of every finding in ``ref``, cached by its tree id.

    Not cached when a ``python`` plugin is in force: its code may live outside the tree.
    """
    from charter.hooks import engine
    from charter.hooks.source.results import digest

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
    """The staged change (the index against ``HEAD``) with its commit message.

    The commit is not signed yet, so an approval is provisional here (``approvals``):
    the range check (pre-push, CI) verifies it once the commit exists.
    """
    root = settings.root
    revs = git.resolve(root, "HEAD^{commit}", "MERGE_HEAD^{commit}")
    base = Commit(root, "HEAD") if revs["HEAD^{commit}"] else None
    merged = revs["MERGE_HEAD^{commit}"]
    others = [Commit(root, merged)] if merged is not None else []
    staged = settings.source if isinstance(settings.source, Index) else Index(root)
    return judge_diff(base, staged, settings, message, None, others=others)


def judge_diff(
    base: Snapshot | None,
    current: Snapshot,
    settings: Settings,
    message: Message,
    commit: str | None,
    host: tuple[str, ...] = (),
    others: Sequence[Snapshot] = (),
) -> Verdict:
    """The change from ``base`` to ``current``: diff-level kinds and governance.

    ``commit`` names the commit under judgement (the range check), whose approval is
    then verified; None at commit time. ``others`` are a merge's other parents.
    """
    changed = changes(base, current)
    active = in_force(current, settings)
    findings = number_occurrences(change_findings(active, changed))
    # Imported here: ``check --staged`` shares this module and never needs it.
    from charter.hooks import governance

    weakened = governance.weakenings(base, current, settings, changed)
    for other in others:
        # A merge brings work already judged on its branch (its waivers and approvals
        # were checked there): only what is new against every parent counts.
        other_changes = changes(other, current)
        again = number_occurrences(change_findings(active, other_changes))
        findings = [f for f in findings if f.fingerprint in {g.fingerprint for g in again}]
        if weakened:
            also = {w.key for w in governance.weakenings(other, current, settings, other_changes)}
            weakened = [w for w in weakened if w.key in also]
    approved, notes = _approval(base, settings, message, commit, host)
    notes = [*message.problems, *notes] if (findings or weakened) else list(message.problems)
    waived = set(waived_ids(message)) if approved else set()
    kept = [f for f in findings if f.decision not in waived and f.constraint not in waived]
    used = {f.decision for f in findings} | {f.constraint for f in findings}
    notes.extend(f"'Charter-Waive: {i}' waives nothing in this commit" for i in waived - used)
    if weakened and approved:
        notes.append(f"{len(weakened)} governance change(s) approved by {approved}")
    else:
        kept.extend(item.finding() for item in weakened)
    if any(judges_change(f.kind) and f.severity == "error" for f in kept):
        notes.append(WAIVE_HINT)
    return Verdict(
        reported=tuple(kept),
        waived=len(findings) - sum(judges_change(f.kind) for f in kept),
        notes=tuple(dict.fromkeys(notes)),
    )


def _approval(
    base: Snapshot | None,
    settings: Settings,
    message: Message,
    commit: str | None,
    host: tuple[str, ...],
) -> tuple[str | None, list[str]]:
    """Who approves this change's weakenings and waivers (None: no one), and what to say.

    The approvers come from the base, so a change cannot list its own key.
    """
    from charter.hooks.governance import approvals

    listed = approvals.read(base)
    if listed is None:
        if not (message.approvals or message.waives):
            return None, []
        who = ", ".join(message.approvals) or "a Charter-Waive trailer"
        return who, [approvals.UNVERIFIED]
    if commit is not None:
        signer = approvals.verified_by(settings.root, commit, listed, host)
        if signer is None:
            return None, [NOT_VERIFIED]
        return signer, []
    named = [name for name in message.approvals if listed.lists(name)]
    if not named:
        return None, [NOT_VERIFIED] if (message.approvals or message.waives) else []
    return f"{', '.join(named)} (provisionally)", [PROVISIONAL]


def in_force(current: Snapshot, settings: Settings) -> list[ActiveConstraint]:
    """The staged decisions; from disk when git tracks no file of the folder (one given
    with ``--decisions`` that lives under ``.git/``, as ``charter sim`` keeps its oracle,
    or one not added yet), as ``charter check`` reads it."""
    prefix = settings.decisions.rstrip("/") + "/"
    tracked = any(rel.startswith(prefix) for rel in current.files())
    if tracked or not (settings.root / settings.decisions).is_dir():
        return load_active_from(current, settings.decisions, settings.root / settings.cache_dir)
    return load_active(settings)


def judge_range(
    settings: Settings,
    settings_of: Callable[[Snapshot], Settings],
    base: str | None,
    tip: str,
    cache: Cache,
    host: tuple[str, ...] = (),
) -> Verdict:
    """Every commit from ``base`` (exclusive) to ``tip``, each judged with every kind and
    with its own rules (``settings_of`` reads a commit's settings from its files): what
    ``--no-verify`` let through is caught here (CI, pre-push)."""
    reported: list[Finding] = []
    notes: list[str] = []
    preexisting = baselined = waived = 0
    for sha in git.commits_between(settings.root, base, tip):
        try:
            snapshot, change, label = _judge_commit(settings, settings_of, sha, cache, host)
        except CharterError as exc:
            raise CharterError(f"in commit {sha[:12]}: {exc}") from None
        for finding in (*snapshot.reported, *change.reported):
            reported.append(replace(finding, message=f"{finding.message} [in {label}]"))
        notes.extend(f"{label}: {note}" for note in (*snapshot.notes, *change.notes))
        preexisting += snapshot.preexisting
        baselined += snapshot.baselined
        waived += snapshot.waived + change.waived
    return Verdict(tuple(reported), preexisting, baselined, waived, tuple(notes))


def _judge_commit(
    settings: Settings,
    settings_of: Callable[[Snapshot], Settings],
    sha: str,
    cache: Cache,
    host: tuple[str, ...],
) -> tuple[Verdict, Verdict, str]:
    """One commit of a range: its snapshot against its parents, its change with its
    message, and how to name it."""
    from charter.hooks.message import parse

    root = settings.root
    parents = git.parents(root, sha)
    current = Commit(root, sha)
    own = settings_of(current)
    message = parse(git.message(root, sha), "", "verbatim")
    label = f"commit {sha[:12]} ({message.text.partition(chr(10))[0][:60]})"
    first = Commit(root, parents[0]) if parents else None
    rules = in_force(current, own)
    snapshot = judge_snapshot(current, tuple(parents), rules, own, cache, in_range=True)
    others = [Commit(root, parent) for parent in parents[1:]]
    change = judge_diff(first, current, own, message, sha, host, others)
    return snapshot, change, label
