"""The decision record: the YAML front matter of an ADR, as a pydantic model.

The prose of a decision is for people; its ``constraints`` are what Charter enforces.
Every constraint kind is a model of its own, declared in its kind's module and told
apart by ``kind``; the union of them is built here from the registry (of only the
kinds a record names, when it validates one: ``decision_model``). An unknown key
inside a constraint is an error (``constraint/fields.py``); an unknown top-level key is
only a warning, because other ADR tools put their own keys there
(``KNOWN_FOREIGN_KEYS`` are accepted without one).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, create_model

from charter.hooks.constraint.fields import ConstraintBase, Globs, Identifier, Ids, Tags
from charter.hooks.kinds import KINDS

STATUSES = ("proposed", "accepted", "deprecated", "superseded", "rejected")
Status = Literal["proposed", "accepted", "deprecated", "superseded", "rejected"]

# Keys that MADR, Nygard-style tools and static-site generators put in front matter.
KNOWN_FOREIGN_KEYS = frozenset(
    {
        "authors",
        "consulted",
        "deciders",
        "decision-makers",
        "informed",
        "last-updated",
        "layout",
        "links",
        "nav_order",
        "owners",
        "parent",
        "permalink",
        "updated",
    }
)


def _ranked(kinds: Iterable[str]) -> tuple[str, ...]:
    """Kind names in the registry's order (that of the union and of its JSON Schema)."""
    return tuple(sorted(set(kinds), key=lambda name: (KINDS[name].rank, name)))


_COMMIT_ID = re.compile(r"^[0-9a-f]{7,40}$")


def _adoption(value: Any) -> Any:
    """``adopted:``: a date (YAML reads ``2024-04-13`` as one) or a commit id."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and _COMMIT_ID.match(value.strip()):
        return value.strip()
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError(
            f"{value!r} is not an adoption point: YAML reads a commit id made only of "
            f"digits as a number; quote it (adopted: '{value}')"
        )
    raise ValueError(
        f"{value!r} is not an adoption point: write an ISO date such as 2024-04-13 or a "
        "commit id (7 to 40 hex digits, lowercase)"
    )


#: When a decision came into force, for back-tests on history: a date or a commit id.
Adoption = Annotated[
    datetime.date | str,
    BeforeValidator(_adoption),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": _COMMIT_ID.pattern},
            ]
        }
    ),
]


class DecisionBase(BaseModel):
    """The front matter of one decision record; ``decision_model`` validates it.

    Its ``constraints`` are each kind's model; which kinds is the concrete model's
    business (``decision_model``), so this base is never built (``defer_build``).
    """

    model_config = ConfigDict(
        extra="allow",
        frozen=True,
        title="Charter decision record",
        json_schema_extra={"additionalProperties": True},
        defer_build=True,
    )

    id: Identifier = Field(description="Unique id, e.g. 'ADR-0007'.")
    title: str = Field(min_length=1)
    status: Status = Field(description="accepted enforces; proposed warns; others are inert.")
    date: datetime.date | None = None
    supersedes: Ids = Field(default=(), description="Ids this decision replaces.")
    tags: Tags = ()
    scope: Globs = Field(default=(), description="Files the decision governs; default: all.")
    constraints: tuple[ConstraintBase, ...] = ()
    adopted: Adoption | None = Field(
        default=None,
        description=(
            "For back-tests: when the decision came into force, an ISO date or a commit id; "
            "earlier history is judged without it."
        ),
    )

    def constraint_id(self, index: int) -> str:
        """The id of ``constraints[index]``: its own, or ``<decision id>/<n>``."""
        own = self.constraints[index].id
        return own if own is not None else f"{self.id}/{index + 1}"


@cache
def decision_model(kinds: tuple[str, ...] | None = None) -> type[DecisionBase]:
    """The model of a decision whose constraints name ``kinds`` (None: every kind).

    A decision is validated against the union of only the kinds it names
    (``kinds_named``), built once per set: building every kind's model costs more than
    validating a repository's decisions. Anything unusual (no list, an item without a
    known kind) is validated against every kind, so its error is the one it always was.
    """
    names = tuple(KINDS) if kinds is None else _ranked(kinds)
    if names:
        models = tuple(KINDS[name].model() for name in names)
        union: Any = Annotated[Union[models], Field(discriminator="kind")]  # noqa: UP007
        constraints: Any = tuple[union, ...]
    else:
        constraints = tuple[()]
    return create_model(
        "Decision",
        __base__=DecisionBase,
        __module__=__name__,
        __doc__="The front matter of one decision record.",  # the JSON Schema's description
        constraints=(constraints, ()),
    )


def kinds_named(data: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The known kinds a decision's constraints name; None when one names none of them
    or the constraints are not a list of mappings (validated against every kind)."""
    items = data.get("constraints", [])
    if not isinstance(items, list):
        return None
    kinds = [item.get("kind") if isinstance(item, dict) else None for item in items]
    if not all(isinstance(kind, str) and kind in KINDS for kind in kinds):
        return None
    return _ranked(str(kind) for kind in kinds)


def kind_model(name: str) -> type[ConstraintBase] | None:
    """The model of the kind ``name``; None when there is no such kind."""
    return KINDS[name].model() if name in KINDS else None


def __getattr__(name: str) -> Any:
    # Built on first use: each builds every kind's model (``schema``, ``charter new``).
    if name == "Decision":
        return decision_model()
    if name == "MODELS":
        return {kind: KINDS[kind].model() for kind in KINDS}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    Decision = DecisionBase  # at run time: every kind's union (``__getattr__``)
    MODELS: dict[str, type[ConstraintBase]]


def decision_json_schema() -> dict[str, Any]:
    """The JSON Schema of a decision's front matter, for editors."""
    schema = decision_model().model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    # A MADR file may leave out id and title: they come from its name and first heading.
    schema["required"] = ["status"]
    return schema
