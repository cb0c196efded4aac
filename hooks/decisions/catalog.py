"""The set of decisions as a whole: supersession, enforcement and cross-file checks.

Status semantics:

- ``accepted`` decisions are enforced: their violations are errors (a constraint may
  lower itself to ``severity: warning``);
- ``proposed`` decisions warn: their violations never block;
- ``deprecated``, ``superseded`` and ``rejected`` decisions are not enforced;
- a decision named in the ``supersedes`` of a decision that is or was accepted
  (status accepted, deprecated or superseded) is superseded, whatever its own status
  says. A proposed or rejected decision supersedes nothing: a proposal must not switch
  off the rule it wants to replace before it is itself accepted.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from charter.hooks.constraint.active import ActiveConstraint
from charter.hooks.decisions.load import DecisionFile, Header, LoadResult
from charter.hooks.diagnostics import Problem, sort_key
from charter.hooks.errors import CharterError

Enforcement = Literal["error", "warning", "off"]
_SUPERSEDING = frozenset({"accepted", "deprecated", "superseded"})


@dataclass(frozen=True)
class Catalog:
    files: tuple[DecisionFile, ...]
    superseded_by: dict[str, str]  # decision id -> id of the decision replacing it

    def status(self, item: DecisionFile) -> str:
        """The status in force: the declared one, or ``superseded``."""
        if item.decision.id in self.superseded_by:
            return "superseded"
        return item.decision.status

    def enforcement(self, item: DecisionFile) -> Enforcement:
        status = self.status(item)
        return "error" if status == "accepted" else "warning" if status == "proposed" else "off"

    def active(self) -> Iterator[ActiveConstraint]:
        """Every constraint of an accepted or proposed decision, in file order."""
        for item in self.files:
            yield from self.active_in(item)

    def active_in(self, item: DecisionFile) -> Iterator[ActiveConstraint]:
        """The constraints of one decision, if it is in force (accepted or proposed)."""
        level = self.enforcement(item)
        if level == "off":
            return
        for index, constraint in enumerate(item.decision.constraints):
            severity = constraint.severity or level
            if level == "warning":
                severity = "warning"
            yield ActiveConstraint(
                id=item.decision.constraint_id(index),
                index=index,
                severity=severity,
                kind=constraint.kind,
                constraint=constraint,
                decision=item.decision.id,
                source=item.path,
                scope=item.decision.scope,
            )


def in_force(loaded: LoadResult) -> Catalog:
    """The catalog of records that have no errors; an error stops with exit 2."""
    found, problems = build(loaded.files, loaded.headers)
    errors = [p for p in [*loaded.problems, *problems] if p.severity == "error"]
    if errors:
        listing = "\n".join(problem.format() for problem in sorted(errors, key=sort_key))
        raise CharterError(
            f"the decision records have errors; fix them first (charter validate):\n{listing}"
        )
    return found


def build(
    files: Sequence[DecisionFile], headers: Sequence[Header] = ()
) -> tuple[Catalog, list[Problem]]:
    """The catalog of the valid ``files`` and the problems between decisions.

    ``headers`` (id, status, supersedes of every readable file, valid or not) let the
    cross-file checks see a decision that has errors of its own.
    """
    headers = headers or [
        Header(f.path, f.decision.id, f.decision.status, f.decision.supersedes, f.lines)
        for f in files
    ]
    problems: list[Problem] = []
    by_id: dict[str, Header] = {}
    for header in headers:
        first = by_id.get(header.id)
        if first is not None:
            problems.append(
                Problem(
                    header.path,
                    header.line_of("id"),
                    "error",
                    f"duplicate decision id {header.id!r}: also used by "
                    f"{first.path}:{first.line_of('id')}; give each decision its own id",
                )
            )
        else:
            by_id[header.id] = header
    problems.extend(_constraint_id_clashes(files))

    superseded_by: dict[str, str] = {}
    for header in headers:
        for index, target in enumerate(header.supersedes):
            line = header.line_of("supersedes", index)
            if target == header.id:
                problems.append(
                    Problem(header.path, line, "error", f"supersedes: {target!r} is this decision")
                )
            elif target not in by_id:
                problems.append(
                    Problem(
                        header.path,
                        line,
                        "error",
                        f"supersedes: no decision has id {target!r}; fix the id or remove it",
                    )
                )
            elif header.status in _SUPERSEDING:
                superseded_by.setdefault(target, header.id)
    problems.extend(_supersession_cycles(headers, by_id))
    return Catalog(tuple(files), superseded_by), problems


def _constraint_id_clashes(files: Sequence[DecisionFile]) -> Iterator[Problem]:
    seen: dict[str, tuple[str, int]] = {}
    for item in files:
        for index in range(len(item.decision.constraints)):
            cid = item.decision.constraint_id(index)
            line = item.line_of("constraints", index, "id")
            if cid in seen:
                path, first_line = seen[cid]
                yield Problem(
                    item.path,
                    line,
                    "error",
                    f"constraints[{index}]: duplicate constraint id {cid!r} (also at "
                    f"{path}:{first_line}); ids name waivers and baseline entries, so each "
                    "must be unique",
                )
            else:
                seen[cid] = (item.path, line)


def _supersession_cycles(headers: Sequence[Header], by_id: dict[str, Header]) -> Iterator[Problem]:
    """Each cycle of ``supersedes`` links, reported once, at its smallest id."""
    for header in headers:
        start = header.id
        stack: list[list[str]] = [[start]]
        while stack:
            chain = stack.pop()
            node = by_id.get(chain[-1])
            for target in node.supersedes if node else ():
                if target == start and len(chain) > 1 and start == min(chain):
                    yield Problem(
                        header.path,
                        header.line_of("supersedes"),
                        "error",
                        "supersession cycle: "
                        + " -> ".join([*chain, start])
                        + "; a decision cannot be replaced by one it replaces",
                    )
                elif target not in chain and target in by_id:
                    stack.append([*chain, target])
