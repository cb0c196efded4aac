"""The text format: one block per finding, silence on success.

src/app/api/x.py:3:1: ADR-0007 [forbid-import] Route handlers must not ...
  remedy: Go through the service layer.
  chain: app.api.x:3 -> app.services:7 -> app.db
  decision: docs/decisions/0007-layers.md
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from charter.hooks.findings import Finding
    from charter.hooks.report import Report


SHOWN = 50  # a terminal's worth; --format json|sarif carry every finding


def render(report: Report) -> str:
    lines: list[str] = []
    ordered = report.ordered()
    for finding in ordered[:SHOWN]:
        lines.extend(_block(finding))
    if len(ordered) > SHOWN:
        rest = ordered[SHOWN:]
        files = len({f.path for f in rest})
        lines.append(
            f"…and {len(rest)} more in {files} file{'s' if files != 1 else ''} "
            "(--format json lists them all)"
        )
    lines.extend(f"charter: note: {note}" for note in report.notes)
    if report.preexisting > 0:
        lines.append(
            f"charter: {report.preexisting} pre-existing violation(s) not blocking"
            " (charter check --all lists them)"
        )
    return "".join(f"{line}\n" for line in lines)


def _block(finding: Finding) -> list[str]:
    where = f"{finding.path}:{finding.line}:{finding.col}:"
    if finding.severity == "warning":
        where += " warning:"
    lines = [f"{where} {finding.decision} [{finding.kind}] {finding.message}"]
    if finding.remedy:
        lines.append(f"  remedy: {finding.remedy}")
    if finding.chain:
        lines.append(f"  chain: {' -> '.join(finding.chain)}")
    if finding.source:
        lines.append(f"  decision: {finding.source}")
    return lines
