"""The decision record: the YAML front matter of an ADR, as a pydantic model.

The prose of a decision is for people; its ``constraints`` are what Charter enforces.
Every constraint kind is a model of its own, declared in its kind's module and told
apart by ``kind``; the union of them is built here from the registry. An unknown key
inside a constraint is an error (``constraint/fields.py``); an unknown top-level key is
only a warning, because other ADR tools put their own keys there
(``KNOWN_FOREIGN_KEYS`` are accepted without one).
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

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


def _constraint_union() -> Any:
    """The discriminated union of every registered kind's model, in the registry's order."""
    models = tuple(kind.model() for kind in KINDS.values())
    return Annotated[Union[models], Field(discriminator="kind")]  # noqa: UP007


if TYPE_CHECKING:
    Constraint = ConstraintBase
else:
    # Built from the registry: a kind's model lives in its own module (hooks/kinds/).
    Constraint = _constraint_union()

MODELS: dict[str, type[ConstraintBase]] = {name: kind.model() for name, kind in KINDS.items()}


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


class Decision(BaseModel):
    """The front matter of one decision record."""

    model_config = ConfigDict(
        extra="allow",
        frozen=True,
        title="Charter decision record",
        json_schema_extra={"additionalProperties": True},
    )

    id: Identifier = Field(description="Unique id, e.g. 'ADR-0007'.")
    title: str = Field(min_length=1)
    status: Status = Field(description="accepted enforces; proposed warns; others are inert.")
    date: datetime.date | None = None
    supersedes: Ids = Field(default=(), description="Ids this decision replaces.")
    tags: Tags = ()
    scope: Globs = Field(default=(), description="Files the decision governs; default: all.")
    constraints: tuple[Constraint, ...] = ()
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


def decision_json_schema() -> dict[str, Any]:
    """The JSON Schema of a decision's front matter, for editors."""
    schema = Decision.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    # A MADR file may leave out id and title: they come from its name and first heading.
    schema["required"] = ["status"]
    return schema
