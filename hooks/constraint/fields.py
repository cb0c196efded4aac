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

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from charter.hooks.globs import glob_problem

Severity = Literal["error", "warning"]

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_MODULE_PATTERN = re.compile(rf"^(?:\*\*|\*|{_IDENT})(?:\.(?:\*\*|\*|{_IDENT}))*$")
_DOTTED_NAME = re.compile(rf"^{_IDENT}(?:\.{_IDENT})*$")
_QUALIFIED_NAME = re.compile(rf"^{_IDENT}(?:\.{_IDENT})+$")
CALLABLE_PATH = re.compile(rf"^{_IDENT}(?:\.{_IDENT})*(?::{_IDENT})?$")
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


def check_module_pattern(value: str) -> None:
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
    check_module_pattern(importer.strip())
    check_module_pattern(imported.strip())


def check_dotted(value: str) -> None:
    if not _DOTTED_NAME.match(value):
        raise ValueError(f"{value!r} is not a dotted module name such as 'app.db'")


def check_qualified(value: str) -> None:
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
    AfterValidator(_each(check_module_pattern)),
    _schema("Module names or patterns ('app.api', 'app.*.views', 'app.**')."),
]
ImportExpressions = Annotated[
    tuple[str, ...],
    _OneOrMany,
    AfterValidator(_each(_check_import_expression)),
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


class PatternRule(ConstraintBase):
    """Fields both pattern kinds accept (forbid-pattern, require-pattern)."""

    kind: str  # each narrows it to its own Literal; declared here to keep its place first
    pattern: Regex
    files: Globs = Field(default=(), description="Files searched; default: all in scope.")
