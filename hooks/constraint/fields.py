"""The field types and bases every constraint kind's front-matter model is built from.

Each kind declares its own pydantic model in its module (``hooks/kinds/<kind>.py``),
from these parts: the list types that also accept one string (``to: app.db`` is
``to: [app.db]``) and check each entry, and the fields every constraint, or every
import-graph constraint, accepts. An unknown key inside a constraint is an error (it is
nearly always a typo that would disable the rule).

This module imports pydantic: only validation loads it, never the commit hook's hot
path, which runs on the compiled plain form (``decisions/compile.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from charter.hooks.constraint.checks import (
    check_distribution,
    check_glob,
    check_id,
    check_import_expression,
    check_module_pattern,
    check_qualified,
    check_regex,
    check_ruff_code,
    off_for_false,
    one_or_many,
)


def _each(check: Callable[[str], object]) -> Callable[[tuple[str, ...]], tuple[str, ...]]:
    def validate(values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            check(value)
        return values

    validate.check = check  # type: ignore[attr-defined]  # named in the field table
    return validate


def checked_by(check: Callable[[Any], None]) -> Any:
    """A kind's model validator that runs ``check`` on the validated fields: a plain
    function of the record (``record.field``), which the validation without pydantic
    (``decisions/plain.py``) runs on its own record. Declare it in the model's body:
    ``_checks = checked_by(check_fields)``."""

    def validate(self: Any) -> Any:
        check(self)
        return self

    validate.check = check  # type: ignore[attr-defined]
    return model_validator(mode="after")(validate)


def _schema(description: str) -> WithJsonSchema:
    """A list field's JSON Schema: one string or a list of strings."""
    return WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            "description": description,
        }
    )


_OneOrMany = BeforeValidator(one_or_many)

Globs = Annotated[
    tuple[str, ...],
    _OneOrMany,
    AfterValidator(_each(check_glob)),
    _schema("Repository-relative globs ('*' within a folder, '**/' any depth)."),
]
Modules = Annotated[
    tuple[str, ...],
    _OneOrMany,
    AfterValidator(_each(check_module_pattern)),
    _schema("Module names or patterns ('app.api', 'app.*.views', 'app.**')."),
]
ImportExpressions = Annotated[
    tuple[str, ...],
    _OneOrMany,
    AfterValidator(_each(check_import_expression)),
    _schema("Imports 'importer -> imported'; '*' stands for one segment, '**' for any."),
]
QualifiedNames = Annotated[
    tuple[str, ...],
    _OneOrMany,
    AfterValidator(_each(check_qualified)),
    _schema("Fully qualified names ('datetime.datetime.now', 'builtins.print')."),
]
RuffCodes = Annotated[
    tuple[str, ...],
    _OneOrMany,
    AfterValidator(_each(check_ruff_code)),
    _schema("Ruff rule codes or prefixes ('E501', 'TID')."),
]
Distributions = Annotated[
    tuple[str, ...],
    _OneOrMany,
    AfterValidator(_each(check_distribution)),
    _schema("Top-level package names ('requests', 'yaml')."),
]
Ids = Annotated[
    tuple[str, ...], _OneOrMany, AfterValidator(_each(check_id)), _schema("Decision ids.")
]
Tags = Annotated[tuple[str, ...], _OneOrMany, _schema("Free-form tags.")]
Regex = Annotated[str, AfterValidator(check_regex)]
Identifier = Annotated[str, AfterValidator(check_id)]


Severity = Literal["error", "warning"]


class _Strict(BaseModel):
    # Built inside the decision model that uses it (decisions/model.py), not on its own.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class ConstraintBase(_Strict):
    """Fields every constraint kind accepts."""

    if TYPE_CHECKING:  # each kind's model declares it as its own Literal (the discriminator)
        kind: str

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
Alerting = Annotated[Literal["error", "warning", "off"], BeforeValidator(off_for_false)]


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


class PatternRule(ConstraintBase):
    """Fields both pattern kinds accept (forbid-pattern, require-pattern)."""

    kind: str  # each narrows it to its own Literal; declared here to keep its place first
    pattern: Regex
    files: Globs = Field(default=(), description="Files searched; default: all in scope.")
