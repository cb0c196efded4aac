"""The record each constraint kind declares once, in its own module: ``KIND = Kind(...)``.

Everything Charter knows about a kind is an attribute of its record: its front-matter
model, what it reads, its check, how it may change without weakening governance, how it
reads as an instruction to an agent, the module names and globs it names, and its
autofix. The engine, governance, validation, agent context and ``charter fix`` ask the
registry (``charter.hooks.kinds.KINDS``) instead of spelling kind names.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from charter.hooks.findings import Finding

if TYPE_CHECKING:
    from charter.hooks.constraint.active import ActiveConstraint
    from charter.hooks.constraint.fields import ConstraintBase
    from charter.hooks.source.changes import Change
    from charter.hooks.view import SnapshotView

Fields = Mapping[str, Any]  # a constraint's fields by their YAML names ("from", "to", ...)


class Reads(enum.Enum):
    """What a kind's check reads; it decides how the engine runs and caches it."""

    PATHS = "the paths of the files"
    TEXT = "the text of each file"
    PYTHON_SOURCE = "the source of each Python file"
    PYTHON_FACTS = "the imports and names of each Python file"
    IMPORT_GRAPH = "the import graph"
    ANYTHING = "anything (a team's own code)"
    CHANGE = "the files a commit changes"

    @property
    def per_file(self) -> bool:
        """A file's findings depend on that file only: they are cached per file."""
        return self in (Reads.PATHS, Reads.TEXT, Reads.PYTHON_SOURCE, Reads.PYTHON_FACTS)

    @property
    def python_only(self) -> bool:
        return self in (Reads.PYTHON_SOURCE, Reads.PYTHON_FACTS)

    @property
    def cacheable(self) -> bool:
        """Findings are a function of the snapshot's content (a plugin may read anything)."""
        return self.per_file or self is Reads.IMPORT_GRAPH


class Strictness(enum.Enum):
    """How a field may change without weakening the constraint (governance)."""

    KEEPS = "entries may be added, not removed"  # lists that forbid or require
    NO_NEW = "entries may be removed, not added"  # lists that permit
    STAYS_TRUE = "may become true, not false"
    STAYS_FALSE = "may become false, not true"
    SAME = "must not change"  # Charter cannot compare two regexes or two plugins


@dataclass(frozen=True)
class ModuleName:
    """A module name a constraint names, where it is written, and what it must be."""

    field: str  # the YAML field
    position: int | None  # index in the field's list (None: the field is one value)
    name: str
    first_party: bool  # the rule checks this module's imports: it must exist
    plugin: bool = False  # a plugin's own module (may be a file at the repository root)


@dataclass(frozen=True)
class Rewrite:
    """An autofix plan for one finding: banned names and forbidden modules to replace."""

    names: Mapping[str, str] = field(default_factory=dict)
    modules: Mapping[str, str] = field(default_factory=dict)


Check = Callable[["ActiveConstraint", "SnapshotView", "Sequence[str]"], Iterable[Finding]]
ChangeCheck = Callable[["ActiveConstraint", "Sequence[Change]"], Iterable[Finding]]


def no_modules(fields: Fields) -> Iterator[ModuleName]:
    return iter(())


def no_words(fields: Fields) -> str:
    return ""


@dataclass(frozen=True)
class Kind:
    """Everything about one constraint kind, declared in its module."""

    name: str
    # Where it stands in every list of kinds a user reads (the JSON Schema, the "kinds:"
    # of an error, the reference): import rules first, then names, files, text, change,
    # a team's own check. A new kind takes a free number between its neighbours.
    rank: int
    # The pydantic model, loaded on demand: the commit hook's hot path runs on the
    # compiled plain form (decisions/compile.py) and never imports pydantic.
    model: Callable[[], type[ConstraintBase]]
    reads: Reads
    strictness: Mapping[str, Strictness]  # by attribute name ("from_")
    instruction: Callable[[Fields], str]  # the rule as an order to an agent
    # What the rule is about in a task's words, beyond its own text (retrieval):
    # ``time.time`` is about timing and clocks (``topics.py``).
    vocabulary: Callable[[Fields], str] = no_words
    check: Check | None = None  # judges a snapshot: (constraint, view, paths in scope)
    check_change: ChangeCheck | None = None  # judges a change (reads CHANGE)
    relaxations: Callable[[Any, Any], list[str]] | None = None  # beyond field rules
    modules: Callable[[Fields], Iterator[ModuleName]] = no_modules
    globs: tuple[str, ...] = ()  # glob fields that must match a file (validate warns)
    # Fields of fully qualified names (``pkg.mod.attr``) that must name something: a name
    # that names nothing makes a rule that checks nothing (validate reports it).
    qualified_names: tuple[str, ...] = ()
    # Reads.CHANGE: a later edit may still satisfy it (the other file may follow), so a
    # single proposed edit that breaks it is a warning, not an error (agents/change.py).
    later_edit_may_satisfy: bool = False
    targets: tuple[str, ...] = ()  # glob fields naming the files it is about (retrieval)
    fix: Callable[[Any, Finding], Rewrite] | None = None
    tool: str | None = None  # a distribution whose version its cached findings depend on
    summary: str = ""  # what it checks, in a sentence or two (the kinds reference)
    # One valid constraint of the kind, its fields as a decision writes them (the kinds
    # reference shows it; the registry's test validates it and builds every part from it).
    sample: Fields = field(default_factory=dict)
    # A violation and its fix, made from the constraint's fields (``charter explain``).
    example: Callable[[Fields], tuple[str, str]] | None = None
    # Reads.PYTHON_FACTS only: for each thing it looks for, the words a file must contain
    # to be worth parsing (a file with none of them needs no facts; ``SnapshotView.may_use``
    # asks); None: every module.
    needles: Callable[[ActiveConstraint, frozenset[str]], list[frozenset[str]]] | None = None


def yaml_fields(constraint: Any) -> dict[str, Any]:
    """A constraint's fields (a pydantic model or the compiled plain form) by YAML name."""
    return {name.rstrip("_"): value for name, value in vars(constraint).items()}


def finding(
    active: ActiveConstraint,
    path: str,
    line: int,
    col: int,
    default_message: str,
    key: str,
    chain: tuple[str, ...] = (),
) -> Finding:
    """A finding of ``active``: the decision's message when it has one."""
    constraint = active.constraint
    message = constraint.message or default_message
    if constraint.message and default_message:
        message = f"{constraint.message} ({default_message})"
    return Finding(
        decision=active.decision,
        constraint=active.id,
        kind=active.kind,
        path=path,
        line=line,
        col=col,
        message=message,
        key=key,
        severity=active.severity,
        remedy=constraint.remedy,
        source=active.source,
        chain=chain,
    )


# -- words shared by the instructions of several kinds ------------------------------------


def or_list(values: Any) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return join(values, "or")


def join(values: Any, word: str) -> str:
    items = [values] if isinstance(values, str) else [layer_text(v) for v in values or ()]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def layer_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "(" + " | ".join(str(v) for v in value) + ")"


def each(field_name: str, values: Iterable[str], first_party: bool) -> Iterator[ModuleName]:
    for position, value in enumerate(values or ()):
        yield ModuleName(field_name, position, value, first_party)
