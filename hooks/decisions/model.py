"""The decision record: the YAML front matter of an ADR, as a pydantic model.

The prose of a decision is for people; its ``constraints`` are what Charter enforces.
Every constraint kind is a model of its own, told apart by ``kind``. An unknown key
inside a constraint is an error (it is nearly always a typo that would disable the
rule); an unknown top-level key is only a warning, because other ADR tools put their
own keys there (``KNOWN_FOREIGN_KEYS`` are accepted without one).

Fields holding lists also accept a single string: ``to: app.db`` is ``to: [app.db]``.
"""

from __future__ import annotations

import datetime
import re
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from charter.hooks.decisions.levels import levels
from charter.hooks.globs import glob_problem

STATUSES = ("proposed", "accepted", "deprecated", "superseded", "rejected")
Status = Literal["proposed", "accepted", "deprecated", "superseded", "rejected"]
Severity = Literal["error", "warning"]

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

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_MODULE_PATTERN = re.compile(rf"^(?:\*\*|\*|{_IDENT})(?:\.(?:\*\*|\*|{_IDENT}))*$")
_DOTTED_NAME = re.compile(rf"^{_IDENT}(?:\.{_IDENT})*$")
_QUALIFIED_NAME = re.compile(rf"^{_IDENT}(?:\.{_IDENT})+$")
_CALLABLE_PATH = re.compile(rf"^{_IDENT}(?:\.{_IDENT})*(?::{_IDENT})?$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_RUFF_CODE = re.compile(r"^(?:ALL|[A-Z]{1,8}[0-9]{0,4})$")
_DISTRIBUTION = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")


def _one_or_many(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _each(check: Callable[[str], object]) -> Callable[[tuple[str, ...]], tuple[str, ...]]:
    def validate(values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            check(value)
        return values

    return validate


def _check_glob(value: str) -> None:
    problem = glob_problem(value)
    if problem:
        raise ValueError(problem)


def _check_module_pattern(value: str) -> None:
    if not _MODULE_PATTERN.match(value):
        raise ValueError(
            f"{value!r} is not a module name or pattern: write dotted names such as "
            "'app.api'; '*' stands for one segment, '**' for any number"
        )


def _check_import_expression(value: str) -> None:
    importer, arrow, imported = value.partition("->")
    if not arrow or not importer.strip() or not imported.strip():
        raise ValueError(
            f"{value!r} is not an import: write 'importer -> imported', such as "
            "'app.api.views -> app.db.session' ('*' stands for one segment, '**' for any)"
        )
    _check_module_pattern(importer.strip())
    _check_module_pattern(imported.strip())


def _check_dotted(value: str) -> None:
    if not _DOTTED_NAME.match(value):
        raise ValueError(f"{value!r} is not a dotted module name such as 'app.db'")


def _check_qualified(value: str) -> None:
    if not _QUALIFIED_NAME.match(value):
        raise ValueError(
            f"{value!r} is not a fully qualified name: write module and name, such as "
            "'datetime.datetime.now' or 'builtins.print'"
        )


def _check_ruff_code(value: str) -> None:
    if not _RUFF_CODE.match(value):
        raise ValueError(f"{value!r} is not a ruff rule code or prefix such as 'E501' or 'TID'")
    from charter.hooks.source.rufftool import selector_problem

    problem = selector_problem(value)  # asks the installed ruff: a typo fails here
    if problem:
        raise ValueError(problem)


def _check_distribution(value: str) -> None:
    if not _DISTRIBUTION.match(value):
        raise ValueError(f"{value!r} is not a package name such as 'requests'")


def _check_regex(value: str) -> str:
    from charter.hooks.userregex import problem

    found = problem(value)
    if found:
        raise ValueError(found)
    return value


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            f"{value!r} is not a usable id: start with a letter or digit and use only "
            "letters, digits, '.', '_', '-' and '/'"
        )
    return value


def _schema(description: str) -> WithJsonSchema:
    """A list field's JSON Schema: one string or a list of strings."""
    return WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            "description": description,
        }
    )


_OneOrMany = BeforeValidator(_one_or_many)

Globs = Annotated[
    tuple[str, ...],
    _OneOrMany,
    AfterValidator(_each(_check_glob)),
    _schema("Repository-relative globs ('*' within a folder, '**/' any depth)."),
]
Modules = Annotated[
    tuple[str, ...],
    _OneOrMany,
    AfterValidator(_each(_check_module_pattern)),
    _schema("Module names or patterns ('app.api', 'app.*.views', 'app.**')."),
]
ImportExpressions = Annotated[
    tuple[str, ...],
    _OneOrMany,
    AfterValidator(_each(_check_import_expression)),
    _schema("Imports 'importer -> imported'; '*' stands for one segment, '**' for any."),
]
DottedNames = Annotated[
    tuple[str, ...],
    _OneOrMany,
    AfterValidator(_each(_check_dotted)),
    _schema("Dotted module names."),
]
QualifiedNames = Annotated[
    tuple[str, ...],
    _OneOrMany,
    AfterValidator(_each(_check_qualified)),
    _schema("Fully qualified names ('datetime.datetime.now', 'builtins.print')."),
]
RuffCodes = Annotated[
    tuple[str, ...],
    _OneOrMany,
    AfterValidator(_each(_check_ruff_code)),
    _schema("Ruff rule codes or prefixes ('E501', 'TID')."),
]
Distributions = Annotated[
    tuple[str, ...],
    _OneOrMany,
    AfterValidator(_each(_check_distribution)),
    _schema("Top-level package names ('requests', 'yaml')."),
]
Ids = Annotated[
    tuple[str, ...], _OneOrMany, AfterValidator(_each(_check_id)), _schema("Decision ids.")
]
Tags = Annotated[tuple[str, ...], _OneOrMany, _schema("Free-form tags.")]
Regex = Annotated[str, AfterValidator(_check_regex)]
Identifier = Annotated[str, AfterValidator(_check_id)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ConstraintBase(_Strict):
    """Fields every constraint kind accepts."""

    id: Identifier | None = Field(
        default=None, description="Stable id; defaults to '<decision id>/<n>' (1-based)."
    )
    message: str | None = Field(default=None, description="What is wrong, shown on a violation.")
    remedy: str | None = Field(default=None, description="How to comply, shown after the message.")
    severity: Severity | None = Field(
        default=None,
        description="error blocks, warning reports; defaults from the decision's status.",
    )
    paths: Globs = Field(default=(), description="Narrow the decision's scope to these files.")
    exclude: Globs = Field(default=(), description="Files left out of this constraint.")


# import-linter's ``unmatched_ignore_imports_alerting``: none, warn, error.
# YAML 1.1 reads a bare ``off`` as false.
Alerting = Annotated[
    Literal["error", "warning", "off"], BeforeValidator(lambda v: "off" if v is False else v)
]


class ImportRule(ConstraintBase):
    """Fields every import-graph kind accepts (as every import-linter contract does)."""

    ignore_imports: ImportExpressions = Field(
        default=(),
        description="Imports this constraint lets through, 'importer -> imported' with "
        "wildcards; an entry that matches no import is reported (see unmatched_ignore_imports).",
    )
    unmatched_ignore_imports: Alerting = Field(
        default="error", description="How an ignore_imports entry that matches nothing is reported."
    )
    optional: Modules = Field(
        default=(),
        description="Named modules that may not exist yet; any other missing module is an error.",
    )


class ForbidImport(ImportRule):
    kind: Literal["forbid-import"]
    from_: Modules = Field(alias="from", min_length=1)
    to: Modules = Field(min_length=1)
    transitive: bool = Field(default=False, description="Also forbid indirect import chains.")
    allow_type_checking: bool = Field(
        default=False, description="Allow imports under 'if TYPE_CHECKING:'."
    )
    as_packages: bool = Field(
        default=True,
        description="A name covers its submodules; false: only the named modules themselves.",
    )
    replacement: str | None = Field(
        default=None,
        description="Module to import instead of the 'to' modules (enables autofix).",
    )

    @model_validator(mode="after")
    def _replacement_module(self) -> ForbidImport:
        if self.replacement is not None:
            _check_dotted(self.replacement)
            wild = [name for name in self.to if "*" in name]
            if wild:
                raise ValueError(
                    f"'replacement' rewrites imports of the 'to' modules, which must then be "
                    f"plain module names, not patterns such as {wild[0]!r}"
                )
        return self


class Layers(ImportRule):
    kind: Literal["layers"]
    layers: tuple[str | tuple[str, ...], ...] = Field(
        min_length=2,
        description="Highest first; a layer that is a list (or 'a | b') holds independent "
        "siblings, 'a : b' siblings that may import each other.",
    )
    containers: Modules = Field(
        default=(), description="Packages the layer names are relative to ('app.*' allowed)."
    )
    transitive: bool = Field(default=True, description="Also forbid indirect import chains.")
    allow_type_checking: bool = False
    exhaustive: bool = Field(
        default=False, description="Every child of every container must be a layer."
    )
    exhaustive_ignores: tuple[str, ...] = Field(
        default=(), description="Children of the containers that need not be layers."
    )

    @model_validator(mode="after")
    def _layer_names(self) -> Layers:
        seen: set[str] = set()
        for level in levels(self.layers):
            if "|" in "".join(level.names) or ":" in "".join(level.names):
                raise ValueError("a layer cannot mix ':' and '|' siblings")
            for name in level.names:
                _check_module_pattern(name)
                if name in seen:
                    raise ValueError(f"layer {name!r} is listed twice")
                seen.add(name)
        if self.exhaustive and not self.containers:
            raise ValueError("'exhaustive' needs 'containers': their children must be layers")
        return self


class Independent(ImportRule):
    kind: Literal["independent"]
    modules: Modules = Field(
        min_length=1, description="Two or more modules, or a pattern such as 'app.plugins.*'."
    )
    transitive: bool = Field(default=True, description="Also forbid indirect import chains.")
    allow_type_checking: bool = False

    @model_validator(mode="after")
    def _several(self) -> Independent:
        if len(self.modules) < 2 and "*" not in self.modules[0]:
            raise ValueError(
                "'modules' needs two or more modules, or a pattern such as 'app.plugins.*'"
            )
        return self


class Acyclic(ImportRule):
    kind: Literal["acyclic"]
    packages: Modules = Field(min_length=1, description="Packages whose children form no cycle.")
    depth: int = Field(
        default=0, ge=0, description="Also check the children's children, this many levels down."
    )
    skip_descendants: Modules = Field(
        default=(), description="Packages whose own children are not checked."
    )


class ProtectedModules(ImportRule):
    """import-linter's ``protected`` contract: only some modules may import these."""

    kind: Literal["protected-modules"]
    modules: Modules = Field(min_length=1, description="The modules only a few may import.")
    allowed_importers: Modules = Field(
        default=(), description="The modules that may import them directly."
    )
    as_packages: bool = Field(
        default=True, description="A name covers its submodules; false: only the module itself."
    )


class PrivateModules(ImportRule):
    """import-linter's ``private_modules``: ``a._b`` only from within ``a``."""

    kind: Literal["private-modules"]
    packages: Modules = Field(
        default=(), description="Packages whose private modules are checked; default: all."
    )


class BannedApi(ConstraintBase):
    kind: Literal["banned-api"]
    names: QualifiedNames = Field(min_length=1)
    replacement: str | None = Field(
        default=None, description="Fully qualified name to use instead (enables autofix)."
    )

    @model_validator(mode="after")
    def _replacement_name(self) -> BannedApi:
        if self.replacement is not None:
            _check_qualified(self.replacement)
        return self


class Dependencies(ConstraintBase):
    kind: Literal["dependencies"]
    allow: Distributions | None = Field(
        default=None, description="Only these third-party packages may be imported."
    )
    forbid: Distributions | None = Field(
        default=None, description="These third-party packages must not be imported."
    )

    @model_validator(mode="after")
    def _one_list(self) -> Dependencies:
        if self.allow is None and self.forbid is None:
            raise ValueError("set 'allow' (packages permitted) or 'forbid' (packages banned)")
        return self


class FilePlacement(ConstraintBase):
    kind: Literal["file-placement"]
    allow: Globs | None = Field(default=None, description="Files in scope must match one.")
    deny: Globs | None = Field(default=None, description="Files in scope must match none.")

    @model_validator(mode="after")
    def _one_list(self) -> FilePlacement:
        if self.allow is None and self.deny is None:
            raise ValueError("set 'allow' (where files may live) or 'deny' (where they may not)")
        return self


class ForbidPattern(ConstraintBase):
    kind: Literal["forbid-pattern"]
    pattern: Regex
    files: Globs = Field(default=(), description="Files searched; default: all in scope.")


class RequirePattern(ConstraintBase):
    kind: Literal["require-pattern"]
    pattern: Regex
    files: Globs = Field(default=(), description="Files searched; default: all in scope.")


class Ruff(ConstraintBase):
    kind: Literal["ruff"]
    select: RuffCodes = Field(min_length=1)
    ignore: RuffCodes = ()


class Protected(ConstraintBase):
    kind: Literal["protected"]
    paths: Globs = Field(min_length=1, description="Files a commit must not modify or delete.")


class CoChange(ConstraintBase):
    kind: Literal["co-change"]
    when: Globs = Field(min_length=1)
    require: Globs = Field(min_length=1)


class Python(ConstraintBase):
    kind: Literal["python"]
    check: str = Field(description="The check callable: 'package.module:function'.")
    options: dict[str, Any] = Field(default_factory=dict, description="Passed to the check.")

    @model_validator(mode="after")
    def _callable_path(self) -> Python:
        if not _CALLABLE_PATH.match(self.check):
            raise ValueError(
                f"check {self.check!r} is not a callable path: write 'package.module:function'"
            )
        return self


Constraint = Annotated[
    Union[  # noqa: UP007 - a discriminated union reads better spelled out
        ForbidImport,
        Layers,
        Independent,
        Acyclic,
        ProtectedModules,
        PrivateModules,
        BannedApi,
        Dependencies,
        FilePlacement,
        ForbidPattern,
        RequirePattern,
        Ruff,
        Protected,
        CoChange,
        Python,
    ],
    Field(discriminator="kind"),
]

# Each kind's module (hooks/kinds/) declares the rest of the kind and names its model.
CONSTRAINT_TYPES: tuple[type[ConstraintBase], ...] = typing.get_args(typing.get_args(Constraint)[0])
KINDS: dict[str, type[ConstraintBase]] = {
    typ.model_fields["kind"].annotation.__args__[0]: typ  # type: ignore[union-attr]
    for typ in CONSTRAINT_TYPES
}


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
