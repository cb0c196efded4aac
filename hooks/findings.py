"""A finding: one violation of one constraint, at one place.

Its fingerprint identifies it across commits without line numbers: the decision, the
constraint, the path, a kind-specific key (the imported module, the banned name, the
ruff code, ...) and the occurrence (the n-th finding with the same key in that file).
A line shift above a violation does not change its fingerprint; a second copy of the
same violation in the same file gets a fingerprint of its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from charter.hooks import digests

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One violation of one constraint, where it is and how to fix it."""

    decision: str  # the decision id, e.g. ADR-0007
    constraint: str  # the constraint id, e.g. ADR-0007/1
    kind: str  # the constraint kind, e.g. forbid-import
    path: str  # repository-relative POSIX path of the offending file
    line: int  # 1-based; 0 when the finding is about the file as a whole
    col: int  # 1-based; 0 when unknown
    message: str
    key: str  # kind-specific identity, e.g. the imported module
    severity: Severity = "error"
    remedy: str | None = None
    source: str = ""  # the decision file
    chain: tuple[str, ...] = ()  # for transitive import rules: 'module:line' steps
    occurrence: int = 0

    @property
    def fingerprint(self) -> str:
        raw = f"{self.constraint}\x1f{self.path}\x1f{self.key}\x1f{self.occurrence}"
        return digests.sha1(raw.encode("utf-8")).hexdigest()[:16]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.constraint, self.key)

    def as_json(self) -> dict[str, Any]:
        """The finding as the ``charter-check/1`` JSON format (and the journal) write it."""
        return {
            "decision": self.decision,
            "constraint": self.constraint,
            "kind": self.kind,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "message": self.message,
            "remedy": self.remedy,
            "source": self.source,
            "chain": list(self.chain),
            "key": self.key,
            "fingerprint": self.fingerprint,
        }


def number_occurrences(findings: Iterable[Finding]) -> list[Finding]:
    """Findings sorted by place, each with its occurrence among equal keys."""
    counters: defaultdict[tuple[str, str, str], int] = defaultdict(int)
    numbered = []
    for finding in sorted(findings, key=Finding.sort_key):
        identity = (finding.constraint, finding.path, finding.key)
        occurrence = counters[identity]
        # Most are numbered already (cached, or the first of their key): kept as they are.
        numbered.append(
            finding if finding.occurrence == occurrence else replace(finding, occurrence=occurrence)
        )
        counters[identity] += 1
    return numbered
