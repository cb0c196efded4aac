"""Reports: what ``charter check`` found, rendered for people and for machines.

A :class:`Report` is the verdict of one check; ``FORMATS`` maps each ``--format`` name
to a function that renders a report as the complete output text: ending in a newline,
or empty when there is nothing to say (the text format on success). Renderers only
return strings; the command writes them (CH-0004).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import cast

from charter.hooks import __version__
from charter.hooks.findings import Finding


@dataclass(frozen=True)
class Report:
    """What a check reports, in every output format."""

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


Renderer = Callable[[Report], str]
_MODULES = {"text": "text", "json": "json_format", "sarif": "sarif", "github": "github"}


class _Renderers(Mapping[str, Renderer]):
    """Each format's renderer, imported when first asked for: a commit hook renders text
    and pays for no other format's import."""

    def __getitem__(self, name: str) -> Renderer:
        module = importlib.import_module(f"charter.hooks.report.{_MODULES[name]}")
        return cast(Renderer, module.render)

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


FORMATS: Mapping[str, Renderer] = _Renderers()

__all__ = ["FORMATS", "Report"]
