"""Governance integrity: does a change weaken the rules Charter enforces?

Agents edit the rules they work under. The commit-msg hook therefore compares the base
(``HEAD``) with the staged snapshot *semantically* and reports every weakening, which
blocks unless the message carries a ``Charter-Approved-By:`` trailer:

- a constraint of an accepted decision is gone: its file was deleted or no longer
  validates, the decision's status left ``accepted``, it was superseded, or the
  constraint was removed (a constraint that moved, or was rewritten at least as
  strictly, in any accepted decision is not gone);
- a constraint was relaxed: ``severity`` lowered to warning; its scope (the decision's
  ``scope``, its ``paths``/``exclude``) covers fewer of the repository's files; a list
  that forbids lost entries or a list that permits gained some (see ``RULES``); a
  ``transitive`` rule became direct; ``TYPE_CHECKING`` imports became allowed; a layer
  order allows an import it did not; a regex or plugin changed (Charter cannot prove a
  new one is as strict);
- the baseline gained entries; a file gained an inline waiver (or a later ``until=``);
- a Charter hook in ``.pre-commit-config.yaml`` was removed or edited, or the file's
  top-level ``files``/``exclude``/``default_stages`` changed;
- Charter's settings (``[tool.charter]``, ``.charter.toml``) read fewer files: a new
  ``exclude`` glob, another decisions folder, baseline or source roots.

Strengthening (new decisions, constraints, entries in forbid-lists, pruned baseline
entries, removed waivers) is always allowed. Proposed decisions are not governed: a
proposal may be withdrawn or rewritten freely.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from charter.hooks import waivers
from charter.hooks.context import governs
from charter.hooks.findings import Finding
from charter.hooks.source.changes import Change
from charter.hooks.source.snapshot import Snapshot

if TYPE_CHECKING:
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.settings import Settings

PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
SETTINGS_FILES = ("pyproject.toml", ".charter.toml")
REMEDY = (
    "Revert this part of the change, or have a maintainer approve it with a "
    "'Charter-Approved-By: <name>' trailer in the commit message."
)

# How each field of a constraint may change without weakening it.
KEEP = "entries may be added, not removed"  # lists that forbid or require
NO_NEW = "entries may be removed, not added"  # lists that permit
STAYS_TRUE = "may become true, not false"
STAYS_FALSE = "may become false, not true"
SAME = "must not change"  # Charter cannot compare two regexes or two plugins

RULES: dict[str, dict[str, str]] = {
    "forbid-import": {
        "from_": KEEP,
        "to": KEEP,
        "transitive": STAYS_TRUE,
        "allow_type_checking": STAYS_FALSE,
    },
    "layers": {"transitive": STAYS_TRUE, "allow_type_checking": STAYS_FALSE},
    "independent": {"modules": KEEP, "transitive": STAYS_TRUE, "allow_type_checking": STAYS_FALSE},
    "acyclic": {"packages": KEEP},
    "banned-api": {"names": KEEP},
    "dependencies": {"allow": NO_NEW, "forbid": KEEP},
    "file-placement": {"allow": NO_NEW, "deny": KEEP},
    "forbid-pattern": {"pattern": SAME, "files": KEEP},
    "require-pattern": {"pattern": SAME, "files": KEEP},
    "ruff": {"select": KEEP, "ignore": NO_NEW},
    "protected": {"paths": KEEP},
    "co-change": {"when": KEEP, "require": NO_NEW},  # any 'require' file satisfies it
    "python": {"check": SAME, "options": SAME},
}
_FIELD_NAMES = {"from_": "from"}


@dataclass(frozen=True)
class Weakening:
    path: str  # the file where governance weakened
    line: int
    what: str  # exactly what weakened
    key: str  # stable identity (for the finding's fingerprint)

    def finding(self) -> Finding:
        return Finding(
            decision="charter",
            constraint="charter/governance",
            kind="governance",
            path=self.path,
            line=self.line,
            col=0,
            message=f"weakens governance: {self.what}",
            key=self.key,
            remedy=REMEDY,
        )


def weakenings(
    base: Snapshot | None, current: Snapshot, settings: Settings, changed: Sequence[Change]
) -> list[Weakening]:
    """Every way the change from ``base`` to ``current`` weakens governance."""
    if base is None:
        return []  # the first commit sets the rules; there is nothing to weaken
    paths = {change.path for change in changed}
    prefix = settings.decisions.rstrip("/") + "/"
    found: list[Weakening] = []
    if any(path.startswith(prefix) for path in paths) or paths & set(SETTINGS_FILES):
        found.extend(_decisions(base, current, settings))
    if settings.baseline in paths:
        found.extend(_baseline(base, current, settings.baseline))
    found.extend(_waivers(base, current, changed, prefix))
    if PRE_COMMIT_CONFIG in paths:
        found.extend(_hooks(base, current))
    for name in SETTINGS_FILES:
        if name in paths:
            found.extend(_settings(base, current, name))
    return found


# -- decisions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Governed:
    """A constraint of an accepted decision, and where it is written."""

    active: ActiveConstraint
    line: int


def _accepted(snapshot: Snapshot, folder: str) -> tuple[list[_Governed], dict[str, Any]]:
    """The constraints of the accepted decisions, and every decision's file and status."""
    from charter.hooks.decisions import catalog, load

    loaded = load.load_snapshot(snapshot, folder)
    built, _ = catalog.build(loaded.files, loaded.headers)
    governed = [
        _Governed(item, _file_of(built, item.source).line_of("constraints", item.index))
        for item in built.active()
        if built.enforcement(_file_of(built, item.source)) == "error"
    ]
    statuses = {
        item.decision.id: (item, built.status(item), built.superseded_by.get(item.decision.id))
        for item in built.files
    }
    return governed, statuses


def _file_of(built: Any, source: str) -> Any:
    return next(item for item in built.files if item.path == source)


def _decisions(base: Snapshot, current: Snapshot, settings: Settings) -> Iterator[Weakening]:
    before, _ = _accepted(base, settings.decisions)
    after, statuses = _accepted(current, settings.decisions)
    files = sorted(set(base.files()) | set(current.files()))
    by_kind: dict[str, list[_Governed]] = {}
    for item in after:
        by_kind.setdefault(item.active.kind, []).append(item)
    for old in before:
        candidates = by_kind.get(old.active.kind, [])
        if any(not _relaxations(old.active, new.active, files) for new in candidates):
            continue  # kept, moved or rewritten at least as strictly
        same_id = next((new for new in candidates if new.active.id == old.active.id), None)
        if same_id is not None:
            for what in _relaxations(old.active, same_id.active, files):
                yield Weakening(
                    same_id.active.source,
                    same_id.line,
                    f"{old.active.id} ({old.active.kind}) {what}",
                    f"relaxed:{old.active.id}:{what}",
                )
        else:
            yield _gone(old, statuses)


def _gone(old: _Governed, statuses: Mapping[str, Any]) -> Weakening:
    active = old.active
    what = f"{active.id} ({active.kind}) of {active.decision} is no longer enforced: "
    entry = statuses.get(active.decision)
    if entry is None:
        what += f"{active.decision} was removed or no longer validates ({active.source})"
        return Weakening(active.source, 1, what, f"gone:{active.id}")
    item, status, superseded_by = entry
    if superseded_by is not None:
        what += f"{active.decision} is superseded by {superseded_by}"
        line = item.line_of("status")
    elif status != "accepted":
        what += f"{active.decision}'s status changed from accepted to {status}"
        line = item.line_of("status")
    else:
        what += f"the constraint was removed from {active.decision}"
        line = item.line_of("constraints")
    return Weakening(item.path, line, what, f"gone:{active.id}")


def _relaxations(old: ActiveConstraint, new: ActiveConstraint, files: Sequence[str]) -> list[str]:
    """How ``new`` is weaker than ``old`` (empty when it is at least as strict)."""
    found: list[str] = []
    if old.severity == "error" and new.severity != "error":
        found.append("was lowered from error to warning")
    before, after = old.constraint, new.constraint
    for field, rule in RULES.get(old.kind, {}).items():
        change = _field_change(rule, getattr(before, field, None), getattr(after, field, None))
        if change:
            found.append(f"'{_FIELD_NAMES.get(field, field)}' {change}")
    if old.kind == "layers":
        found.extend(_layer_changes(before, after))
    covered_before, covered_after = governs(old), governs(new)
    lost = [path for path in files if covered_before(path) and not covered_after(path)]
    if lost:
        more = f" and {len(lost) - 1} more" if len(lost) > 1 else ""
        found.append(f"no longer covers {lost[0]}{more} (its scope narrowed)")
    return found


def _field_change(rule: str, old: Any, new: Any) -> str | None:
    if rule == SAME:
        return f"changed from {old!r} to {new!r}" if old != new else None
    if rule == STAYS_TRUE:
        return "was switched off" if old and not new else None
    if rule == STAYS_FALSE:
        return "was switched on" if new and not old else None
    old_set = set(old) if old is not None else None
    new_set = set(new) if new is not None else None
    if rule == KEEP:
        if old_set and not new_set:
            return "was removed"
        missing = sorted(old_set - new_set) if old_set and new_set else []
        return f"no longer lists {', '.join(missing)}" if missing else None
    # NO_NEW: a list that permits; None means "not restricted this way".
    if old_set is not None and new_set is None:
        return "was removed, so nothing is restricted by it"
    added = sorted(new_set - old_set) if old_set is not None and new_set is not None else []
    return f"now also permits {', '.join(added)}" if added else None


def _layer_changes(old: Any, new: Any) -> list[str]:
    """Imports between layers the old order forbade and the new one allows."""
    allowed = sorted(_forbidden_pairs(old) - _forbidden_pairs(new))
    return [f"now allows {lower} to import {higher}" for lower, higher in allowed[:5]] + (
        [f"and {len(allowed) - 5} more layer imports"] if len(allowed) > 5 else []
    )


def _forbidden_pairs(constraint: Any) -> set[tuple[str, str]]:
    containers = tuple(constraint.containers) or ("",)
    levels = [[layer] if isinstance(layer, str) else list(layer) for layer in constraint.layers]
    pairs: set[tuple[str, str]] = set()
    for container in containers:

        def full(name: str, container: str = container) -> str:
            return f"{container}.{name}" if container else name

        for high, higher_level in enumerate(levels):
            for a in higher_level:
                pairs.update((full(b), full(a)) for b in higher_level if b != a)
                for lower_level in levels[high + 1 :]:
                    pairs.update((full(b), full(a)) for b in lower_level)
    return pairs


# -- baseline and waivers ----------------------------------------------------------------


def _baseline(base: Snapshot, current: Snapshot, path: str) -> Iterator[Weakening]:
    before, after = _baseline_entries(base, path), _baseline_entries(current, path)
    known = {entry.get("fingerprint") for entry in before}
    added = [entry for entry in after if entry.get("fingerprint") not in known]
    if added:
        first = added[0]
        more = f" and {len(added) - 1} more" if len(added) > 1 else ""
        where = f"{first.get('constraint', '?')} in {first.get('path', '?')}"
        yield Weakening(
            path,
            1,
            f"the baseline grows by {len(added)} entr{'y' if len(added) == 1 else 'ies'} "
            f"({where}{more}): new violations must be fixed or waived, not baselined",
            "baseline:" + ",".join(sorted(str(e.get("fingerprint")) for e in added)),
        )


def _baseline_entries(snapshot: Snapshot, path: str) -> list[dict[str, Any]]:
    data = snapshot.read(path)
    try:
        entries = json.loads(data or b"{}").get("entries", [])
    except (ValueError, AttributeError, RecursionError):
        return []
    if not isinstance(entries, list):
        return []  # not a baseline: 'charter validate' and 'charter check' say so
    return [entry for entry in entries if isinstance(entry, dict)]


def _waivers(
    base: Snapshot, current: Snapshot, changed: Sequence[Change], decisions: str
) -> Iterator[Weakening]:
    """New inline waivers (Markdown and decision files only document the syntax)."""
    today = datetime.date.today()
    for change in changed:
        if change.status == "deleted" or change.path.startswith(decisions):
            continue
        if change.path.endswith(".md"):
            continue
        after = _waiver_list(current, change.path, today)
        if not after:
            continue
        before = Counter(_waiver_key(w) for w in _waiver_list(base, change.path, today))
        for waiver in after:
            key = _waiver_key(waiver)
            if before[key] > 0:
                before[key] -= 1
                continue
            until = f" until {waiver.until.isoformat()}" if waiver.until else ""
            yield Weakening(
                change.path,
                waiver.line,
                f"adds a waiver for {', '.join(waiver.ids)}{until}",
                f"waiver:{','.join(waiver.ids)}:{until}",
            )


def _waiver_list(snapshot: Snapshot, path: str, today: datetime.date) -> list[waivers.Waiver]:
    data = snapshot.read(path)
    if not data or b"charter:" not in data or b"\0" in data[:8192]:
        return []
    return waivers.scan(path, data.decode("utf-8", "replace"), today)


def _waiver_key(waiver: waivers.Waiver) -> tuple[tuple[str, ...], datetime.date | None]:
    return waiver.ids, waiver.until


# -- hooks and settings ------------------------------------------------------------------


def _hooks(base: Snapshot, current: Snapshot) -> Iterator[Weakening]:
    before, before_top = _charter_hooks(base)
    if not before:
        return  # Charter's hooks were not configured: nothing of them to weaken
    after, after_top = _charter_hooks(current)
    for hook_id, config in before.items():
        if hook_id not in after:
            yield Weakening(
                PRE_COMMIT_CONFIG,
                1,
                f"removes Charter's hook {hook_id!r} from {PRE_COMMIT_CONFIG}",
                f"hook-removed:{hook_id}",
            )
        elif after[hook_id] != config:
            keys = sorted(
                key
                for key in set(config) | set(after[hook_id])
                if config.get(key) != after[hook_id].get(key)
            )
            edits = ", ".join(
                f"{key}: {config.get(key)!r} -> {after[hook_id].get(key)!r}" for key in keys
            )
            yield Weakening(
                PRE_COMMIT_CONFIG,
                1,
                f"edits Charter's hook {hook_id!r} ({edits})",
                f"hook-edited:{hook_id}:{','.join(keys)}",
            )
    for key in ("files", "exclude", "default_stages"):
        if before_top.get(key) != after_top.get(key):
            yield Weakening(
                PRE_COMMIT_CONFIG,
                1,
                f"changes the top-level {key!r} of {PRE_COMMIT_CONFIG} "
                f"({before_top.get(key)!r} -> {after_top.get(key)!r}), "
                "which applies to Charter's hooks",
                f"hook-top:{key}",
            )


def _charter_hooks(snapshot: Snapshot) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Charter's hooks by id (a ``charter-*`` id, or a local hook running ``charter``)."""
    import yaml

    from charter.hooks import boundedyaml

    data = snapshot.read(PRE_COMMIT_CONFIG)
    try:
        config = boundedyaml.load(data) if data else None
    except yaml.YAMLError:
        config = None
    if not isinstance(config, dict):
        return {}, {}
    hooks: dict[str, dict[str, Any]] = {}
    for repo in config.get("repos") or ():
        for hook in (repo.get("hooks") or ()) if isinstance(repo, dict) else ():
            if not isinstance(hook, dict):
                continue
            hook_id = str(hook.get("id", ""))
            entry = str(hook.get("entry", ""))
            if hook_id.startswith("charter") or entry.split(" ", 1)[0] == "charter":
                hooks[hook_id] = hook
    return hooks, config


def _settings(base: Snapshot, current: Snapshot, name: str) -> Iterator[Weakening]:
    before, after = _charter_table(base, name), _charter_table(current, name)
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new or key.replace("-", "_") in ("cache_dir", "format", "journal"):
            continue
        if key == "exclude":
            added = sorted(set(new or ()) - set(old or ()))
            if not added:
                continue
            what = f"excludes more files from Charter: {', '.join(map(str, added))}"
        else:
            what = f"changes Charter's setting {key!r} from {old!r} to {new!r}"
        yield Weakening(name, _line_of_key(current, name, key), what, f"setting:{name}:{key}")


def _charter_table(snapshot: Snapshot, name: str) -> dict[str, Any]:
    from charter.hooks import tomlfile

    data = snapshot.read(name)
    if data is None:
        return {}
    try:
        document = tomlfile.loads(data.decode("utf-8", "replace"))
    except ValueError:
        return {}
    if name != "pyproject.toml":
        return dict(document)
    try:
        table = tomlfile.table(document, "tool", "charter")
    except TypeError:
        return {}  # a pyproject.toml Charter cannot read is an error where settings are read
    return dict(table) if isinstance(table, dict) else {}


def _line_of_key(snapshot: Snapshot, name: str, key: str) -> int:
    text = (snapshot.read(name) or b"").decode("utf-8", "replace")
    lines = enumerate(text.splitlines(), start=1)
    return next((number for number, line in lines if line.strip().startswith(key)), 1)
