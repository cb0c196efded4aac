"""How each field of a constraint may change without weakening it (per kind).

The one place that knows the strictness of every kind's fields; ``field_change`` says
how a field's new value is weaker than its old one.
"""

from __future__ import annotations

from typing import Any

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
FIELD_NAMES = {"from_": "from"}


def field_change(rule: str, old: Any, new: Any) -> str | None:
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
