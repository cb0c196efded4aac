"""Reports: what ``charter check`` found, rendered for people and for machines.

A :class:`Report` is the verdict of one check; ``FORMATS`` maps each ``--format`` name
to a function that renders a report as the complete output text: ending in a newline,
or empty when there is nothing to say (the text format on success). Renderers only
return strings; the command writes them (CH-0004).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from charter.hooks import __version__
from charter.hooks.findings import Finding
from charter.hooks.report import github, json_format, sarif, text


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]  # the blocking (or, with --all, reported) findings
    preexisting: int = 0  # violations already in the base: counted, not blocking
    baselined: int = 0  # violations matched by the baseline
    waived: int = 0  # violations silenced by inline waivers
    notes: tuple[str, ...] = ()  # e.g. "skipped binary file x"
    root: str = ""  # the repository root, absolute POSIX (SARIF's %SRCROOT%)
    tool_version: str = __version__

    def ordered(self) -> list[Finding]:
        """The findings in a stable order: by path, line, column, constraint, key."""
        return sorted(self.findings, key=lambda f: (*f.sort_key(), f.occurrence))


FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
}

__all__ = ["FORMATS", "Report"]
