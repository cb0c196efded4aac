"""The GitHub format: workflow commands that GitHub Actions shows as annotations.

    ::error file=src/x.py,line=3,col=1,title=ADR-0007 [forbid-import]::message — remedy: ...

``line`` and ``col`` are left out when 0 (a finding about the whole file, or an unknown
column). Notes and the pre-existing count become ``::notice::`` lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from charter.hooks.findings import Finding
    from charter.hooks.report import Report


def escape_data(value: str) -> str:
    """Escape the message part of a workflow command."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value (``file=``, ``title=``) of a workflow command."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = [_command(finding) for finding in report.ordered()]
    lines.extend(f"::notice::{escape_data(f'charter: note: {note}')}" for note in report.notes)
    if report.preexisting > 0:
        summary = (
            f"charter: {report.preexisting} pre-existing violation(s) not blocking"
            " (charter check --all lists them)"
        )
        lines.append(f"::notice::{escape_data(summary)}")
    return "".join(f"{line}\n" for line in lines)


def _command(finding: Finding) -> str:
    properties = [f"file={escape_property(finding.path)}"]
    if finding.line > 0:
        properties.append(f"line={finding.line}")
        if finding.col > 0:
            properties.append(f"col={finding.col}")
    properties.append(f"title={escape_property(f'{finding.decision} [{finding.kind}]')}")
    message = finding.message
    if finding.remedy:
        message += f" — remedy: {finding.remedy}"
    if finding.chain:
        message += f"\nchain: {' -> '.join(finding.chain)}"
    return f"::{finding.severity} {','.join(properties)}::{escape_data(message)}"
