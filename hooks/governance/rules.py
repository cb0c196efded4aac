"""How a field of a constraint may change without weakening it.

Each kind declares the strictness of its own fields (``Kind.strictness``); this module
says how a field's new value is weaker than its old one under that rule.
"""

from __future__ import annotations

from typing import Any

from charter.hooks.kinds.kind import Strictness

FIELD_NAMES = {"from_": "from"}


def field_change(rule: Strictness, old: Any, new: Any) -> str | None:
    if rule is Strictness.SAME:
        return f"changed from {old!r} to {new!r}" if old != new else None
    if rule is Strictness.STAYS_TRUE:
        return "was switched off" if old and not new else None
    if rule is Strictness.STAYS_FALSE:
        return "was switched on" if new and not old else None
    old_set = set(old) if old is not None else None
    new_set = set(new) if new is not None else None
    if rule is Strictness.KEEPS:
        if old_set and not new_set:
            return "was removed"
        missing = sorted(old_set - new_set) if old_set and new_set else []
        return f"no longer lists {', '.join(missing)}" if missing else None
    # NO_NEW: a list that permits; None means "not restricted this way".
    if old_set is not None and new_set is None:
        return "was removed, so nothing is restricted by it"
    added = sorted(new_set - old_set) if old_set is not None and new_set is not None else []
    return f"now also permits {', '.join(added)}" if added else None
