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
  that forbids lost entries or a list that permits gained some (see ``rules.RULES``); a
  ``transitive`` rule became direct; ``TYPE_CHECKING`` imports became allowed; a layer
  order allows an import it did not; a regex or plugin changed (Charter cannot prove a
  new one is as strict);
- the baseline gained entries; a file gained an inline waiver (or a later ``until=``);
- a Charter hook in ``.pre-commit-config.yaml`` was removed or edited, or the file's
  top-level ``files``/``exclude``/``default_stages`` changed;
- Charter's settings (``[tool.charter]``, ``.charter.toml``) read fewer files: a new
  ``exclude`` glob, another decisions folder, baseline or source roots.

- the approvers file (``approvals.APPROVERS``) gained a key;
- a module a rule names was renamed or removed, so the rule names nothing or less
  (``modules``);
- the code of a ``python`` check changed (``plugins``).

Approvals are verified by ``approvals``. Strengthening (new decisions, constraints,
entries in forbid-lists, pruned baseline entries, removed waivers) is always allowed.
Proposed decisions are not governed: a proposal may be withdrawn or rewritten freely.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from charter.hooks.governance import approvals, growth, hook_config, plugins, settings_files
from charter.hooks.governance.settings_files import SETTINGS_FILES
from charter.hooks.governance.weakening import Weakening
from charter.hooks.source.changes import Change, renames
from charter.hooks.source.snapshot import Snapshot

if TYPE_CHECKING:
    from charter.hooks.settings import Settings

__all__ = ["Weakening", "weakenings"]


def weakenings(
    base: Snapshot | None, current: Snapshot, settings: Settings, changed: Sequence[Change]
) -> list[Weakening]:
    """Every way the change from ``base`` to ``current`` weakens governance.

    The comparisons of decisions are imported when the change touches what they compare:
    a commit of code alone reads its changed files for new waivers, not the decisions.
    """
    prefix = settings.decisions.rstrip("/") + "/"
    if base is None or not any(path.startswith(prefix) for path in base.files()):
        return []  # adoption: the first commit with decisions sets the rules
    paths = {change.path for change in changed}
    found: list[Weakening] = []
    if approvals.APPROVERS in paths:
        found.extend(approvals.growth(base, current))
    if any(path.startswith(prefix) for path in paths) or paths & set(SETTINGS_FILES):
        from charter.hooks.governance import decisions

        found.extend(decisions.weakenings(base, current, settings))
    if settings.baseline in paths:
        found.extend(growth.baseline_growth(base, current, settings.baseline))
    found.extend(growth.waiver_growth(base, current, changed, prefix))
    if any(c.status != "modified" and c.path.endswith((".py", ".pyi")) for c in changed):
        from charter.hooks.governance import decisions, modules

        rules = decisions.accepted_rules(current, settings.decisions)
        found.extend(modules.weakenings(base, current, settings, rules, renames(base, current)))
    if any(path.endswith(".py") for path in paths):
        found.extend(plugins.weakenings(base, settings, paths))
    if hook_config.PRE_COMMIT_CONFIG in paths:
        found.extend(hook_config.weakenings(base, current))
    for name in SETTINGS_FILES:
        if name in paths:
            found.extend(settings_files.weakenings(base, current, name))
    return found
