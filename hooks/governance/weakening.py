"""A weakening of governance: where it is, what weakened, and its finding."""

from __future__ import annotations

from dataclasses import dataclass

from charter.hooks.findings import Finding

REMEDY = (
    "Revert this part of the change, or have a maintainer approve it with a "
    "'Charter-Approved-By: <name>' trailer in the commit message."
)


@dataclass(frozen=True)
class Weakening:
    path: str  # the file where governance weakened
    line: int
    what: str  # exactly what weakened
    key: str  # stable identity (for the finding's fingerprint)

    def finding(self) -> Finding:
        return Finding(
            decision="charter",
            constraint="charter/governance",
            kind="governance",
            path=self.path,
            line=self.line,
            col=0,
            message=f"weakens governance: {self.what}",
            key=self.key,
            remedy=REMEDY,
        )
