"""Run the constraints in force on a snapshot: files -> facts -> findings.

Each kind is a function in ``charter.hooks.kinds`` (registry ``CHECKS``) that takes the
constraint in force and the snapshot's ``Context`` and yields findings.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from charter.hooks.context import Context
from charter.hooks.decisions.active import ActiveConstraint
from charter.hooks.findings import Finding, number_occurrences
from charter.hooks.kinds import CHECKS
from charter.hooks.settings import Settings
from charter.hooks.source.cache import FactsCache
from charter.hooks.source.snapshot import Snapshot


def run(
    snapshot: Snapshot,
    active: Sequence[ActiveConstraint],
    settings: Settings,
    cache: FactsCache,
) -> tuple[list[Finding], Context]:
    """All findings of the constraints in force, and the context they were found in."""
    context = Context(snapshot, settings, cache)
    findings: list[Finding] = []
    for constraint in active:
        check = CHECKS.get(constraint.kind)
        if check is not None:
            findings.extend(check(constraint, context))
    findings.extend(_syntax_errors(context))
    cache.save()
    return number_occurrences(findings), context


def _syntax_errors(context: Context) -> Iterator[Finding]:
    """A file that does not parse is a finding of its own, once per file."""
    for path in sorted(context.parsed):
        error = context.facts(path).syntax_error
        if error is not None:
            yield Finding(
                decision="charter",
                constraint="charter/syntax-error",
                kind="syntax-error",
                path=path,
                line=error.line,
                col=error.col,
                message=f"cannot parse: {error.message}; other files were still checked",
                key="syntax-error",
                remedy="Fix the syntax error so Charter can check this file's imports.",
            )
