"""A weakening of governance: where it is, what weakened, and its finding."""

from __future__ import annotations

from dataclasses import dataclass

from charter.hooks.findings import Finding

# Not the trailer's words: the block message is what an agent reads.
REMEDY = (
    "Revert this part of the change; only a maintainer can approve a weakening "
    "(docs/governance.md)."
)


@dataclass(frozen=True)
class Weakening:
    """A change that weakens governance (a constraint, a setting, a hook), where it is."""

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
