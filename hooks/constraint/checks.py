"""The checks of the values in a decision's front matter, without pydantic.

Each raises ``ValueError`` with the sentence a user sees. The pydantic models
(``constraint/fields.py``, each kind's ``model()``) run them as validators; the
validation without pydantic (``decisions/plain.py``) runs the same functions, named in
the field table derived from those models (``CHECKS``, ``BEFORE``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from charter.hooks.globs import glob_problem

_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_MODULE_PATTERN = re.compile(rf"^(?:\*\*|\*|{_IDENT})(?:\.(?:\*\*|\*|{_IDENT}))*$")
_DOTTED_NAME = re.compile(rf"^{_IDENT}(?:\.{_IDENT})*$")
_QUALIFIED_NAME = re.compile(rf"^{_IDENT}(?:\.{_IDENT})+$")
CALLABLE_PATH = re.compile(rf"^{_IDENT}(?:\.{_IDENT})*(?::{_IDENT})?$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_RUFF_CODE = re.compile(r"^(?:ALL|[A-Z]{1,8}[0-9]{0,4})$")
_DISTRIBUTION = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")


def one_or_many(value: Any) -> Any:
    """A list field written as one string (``to: app.db``) is that one item."""
    return [value] if isinstance(value, str) else value


def off_for_false(value: Any) -> Any:
    """YAML 1.1 reads a bare ``off`` as false."""
    return "off" if value is False else value


def check_glob(value: str) -> None:
    problem = glob_problem(value)
    if problem:
        raise ValueError(problem)


def check_module_pattern(value: str) -> None:
    if not _MODULE_PATTERN.match(value):
        raise ValueError(
            f"{value!r} is not a module name or pattern: write dotted names such as "
            "'app.api'; '*' stands for one segment, '**' for any number"
        )


def check_import_expression(value: str) -> None:
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


def check_ruff_code(value: str) -> None:
    if not _RUFF_CODE.match(value):
        raise ValueError(f"{value!r} is not a ruff rule code or prefix such as 'E501' or 'TID'")
    from charter.hooks.source.rufftool import selector_problem

    problem = selector_problem(value)  # asks the installed ruff: a typo fails here
    if problem:
        raise ValueError(problem)


def check_distribution(value: str) -> None:
    if not _DISTRIBUTION.match(value):
        raise ValueError(f"{value!r} is not a package name such as 'requests'")


def check_regex(value: str) -> str:
    from charter.hooks.userregex import problem

    found = problem(value)
    if found:
        raise ValueError(found)
    return value


def check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError(
            f"{value!r} is not a usable id: start with a letter or digit and use only "
            "letters, digits, '.', '_', '-' and '/'"
        )
    return value


Check = Callable[[str], object]

#: Every check of one value, by name (the field table names them).
CHECKS: dict[str, Check] = {
    check.__name__: check
    for check in (
        check_glob,
        check_module_pattern,
        check_import_expression,
        check_dotted,
        check_qualified,
        check_ruff_code,
        check_distribution,
        check_regex,
        check_id,
    )
}

#: What runs on a value before its type is checked, by name.
BEFORE: dict[str, Callable[[Any], Any]] = {f.__name__: f for f in (one_or_many, off_for_false)}
