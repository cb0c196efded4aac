"""Inline waivers: ``# charter: allow ADR-0007 -- reason`` on the line or the line above.

A waiver names decision or constraint ids (comma-separated), must give a reason after
``--``, and may end on a date (``until=2026-12-31``; it stops working after that day).
A waiver without a reason, or expired, waives nothing and is reported; a waiver that
matched no finding is reported as unused. Any comment syntax works (``#``, ``--``,
``//``), so waivers serve YAML, SQL and other text files too; in Python files only real
comments count (a string that contains the syntax, e.g. in a test, waives nothing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from charter.hooks.findings import Finding
from charter.hooks.lazyre import Lazy
from charter.hooks.source.markers import marked_lines

if TYPE_CHECKING:
    import datetime

PATTERN = Lazy(
    r"charter:\s*allow\s+(?P<ids>[A-Za-z0-9][A-Za-z0-9._/-]*(?:\s*,\s*[A-Za-z0-9][A-Za-z0-9._/-]*)*)"
    r"(?:\s+until=(?P<until>\S+))?"
    r"(?:\s+--\s*(?P<reason>.*?))?\s*(?:\*/|-->)?\s*$"
)


@dataclass(frozen=True)
class Waiver:
    """A ``charter: allow`` comment: what it waives, until when, and why it may not."""

    path: str
    line: int
    ids: tuple[str, ...]
    reason: str
    until: datetime.date | None
    problem: str | None = None  # why it waives nothing (no reason, bad or past date)

    def covers(self, finding: Finding) -> bool:
        return (
            finding.path == self.path
            and finding.line in (self.line, self.line + 1)
            and (finding.decision in self.ids or finding.constraint in self.ids)
        )


def scan(path: str, text: str, today: datetime.date | None = None) -> list[Waiver]:
    """Every waiver comment in one file's text (in a Python file: only real comments)."""
    return scan_lines(path, marked_lines(path, text), today)


def scan_lines(
    path: str, lines: Iterable[tuple[int, str]], today: datetime.date | None = None
) -> list[Waiver]:
    """Every waiver comment among numbered lines (lines without ``charter:`` may be left out).

    ``today`` (default: the date now) dates the ``until=`` of a waiver; ``datetime`` is
    imported only for a waiver that has one (a clean hook's start-up, issue 15).
    """
    waivers = []
    for number, line in lines:
        if "charter:" not in line:
            continue
        match = PATTERN.get().search(line)
        if match is None:
            continue
        ids = tuple(part.strip() for part in match.group("ids").split(","))
        reason = (match.group("reason") or "").strip()
        until, problem = None, None
        if match.group("until"):
            import datetime

            today = today or datetime.date.today()
            try:
                until = datetime.date.fromisoformat(match.group("until"))
            except ValueError:
                problem = f"until={match.group('until')} is not a date (write until=YYYY-MM-DD)"
        if problem is None and not reason:
            problem = "a waiver needs a reason: add ' -- why this is acceptable'"
        if problem is None and until is not None and today is not None and until < today:
            problem = f"expired on {until.isoformat()}"
        waivers.append(Waiver(path, number, ids, reason, until, problem))
    return waivers


@dataclass(frozen=True)
class Applied:
    """Findings split by the waivers in their files, and the waivers that did nothing."""

    kept: list[Finding]
    waived: list[Finding]
    invalid: list[Waiver]  # no reason, bad date or expired: they waived nothing
    unused: list[Waiver]  # valid, but no finding on their line or the next


def apply(
    findings: Iterable[Finding],
    marked: Mapping[str, Iterable[tuple[int, str]]],
    today: datetime.date | None = None,
) -> Applied:
    """Split findings into kept and waived by the waivers in the files they are in.

    ``marked[path]``: the numbered lines of the file that contain ``charter:``;
    ``today``: as for ``scan_lines``.
    """
    findings = list(findings)
    by_path: dict[str, list[Waiver]] = {}
    for path in sorted({f.path for f in findings}):
        by_path[path] = scan_lines(path, marked.get(path, ()), today)
    used: set[Waiver] = set()
    kept, waived = [], []
    for item in findings:
        match = next(
            (w for w in by_path.get(item.path, ()) if w.problem is None and w.covers(item)), None
        )
        if match is None:
            kept.append(item)
        else:
            waived.append(item)
            used.add(match)
    every = [w for waivers in by_path.values() for w in waivers]
    return Applied(
        kept,
        waived,
        [w for w in every if w.problem is not None],
        [w for w in every if w.problem is None and w not in used],
    )
