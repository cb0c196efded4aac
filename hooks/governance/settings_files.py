"""Charter's settings (``[tool.charter]``, ``.charter.toml``): none that reads fewer files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from charter.hooks.governance.weakening import Weakening
from charter.hooks.source.snapshot import Snapshot

SETTINGS_FILES = ("pyproject.toml", ".charter.toml")


def weakenings(base: Snapshot, current: Snapshot, name: str) -> Iterator[Weakening]:
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
