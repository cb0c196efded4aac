"""The ratchets: the baseline may only shrink, and no file may gain an inline waiver."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from charter.hooks import baseline, waivers
from charter.hooks.governance.weakening import Weakening
from charter.hooks.source.changes import Change
from charter.hooks.source.snapshot import Snapshot

if TYPE_CHECKING:
    import datetime


def baseline_growth(base: Snapshot, current: Snapshot, path: str) -> Iterator[Weakening]:
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


def _baseline_entries(snapshot: Snapshot, path: str) -> list[dict[str, str]]:
    """The entries (none when the file is missing or unreadable: that is ``check``'s error)."""
    data = snapshot.read(path)
    try:
        return baseline.parse(data) if data is not None else []
    except ValueError:
        return []


def waiver_growth(
    base: Snapshot, current: Snapshot, changed: Sequence[Change], decisions: str
) -> Iterator[Weakening]:
    """New inline waivers (Markdown and decision files only document the syntax)."""
    for change in changed:
        if change.status == "deleted" or change.path.startswith(decisions):
            continue
        if change.path.endswith(".md"):
            continue
        after = _waiver_list(current, change.path)
        if not after:
            continue
        before = Counter(_waiver_key(w) for w in _waiver_list(base, change.path))
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


def _waiver_list(snapshot: Snapshot, path: str) -> list[waivers.Waiver]:
    data = snapshot.read(path)
    if not data or b"charter:" not in data or b"\0" in data[:8192]:
        return []
    return waivers.scan(path, data.decode("utf-8", "replace"))


def _waiver_key(waiver: waivers.Waiver) -> tuple[tuple[str, ...], datetime.date | None]:
    return waiver.ids, waiver.until
