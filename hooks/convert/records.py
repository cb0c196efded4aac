"""What a conversion from another tool's configuration produced, contract by contract.

Every contract of the source configuration becomes one ``Converted``: the Charter
constraint that says the same, or the reason it cannot be said (never dropped
silently). ``Conversion.front_matter`` is the decision record's front matter.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from charter.hooks.decisions.model import Decision
from charter.hooks.errors import CharterError

_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Converted:
    """One contract of the source configuration."""

    key: str  # its id in the source (an INI section's name, a TOML 'id', a tach path)
    name: str  # what the source tool calls it in its report
    type: str  # its type in the source tool (import-linter's 'forbidden', tach's 'depends_on')
    fields: dict[str, Any] | None  # the Charter constraint's YAML fields, or None
    reason: str = ""  # why it cannot be expressed, when fields is None


@dataclass(frozen=True)
class Conversion:
    tool: str  # 'import-linter' or 'tach'
    config: str  # the configuration file, repository-relative
    contracts: tuple[Converted, ...]
    notes: tuple[str, ...] = ()  # session options that change how to read the result

    @property
    def expressed(self) -> tuple[Converted, ...]:
        return tuple(c for c in self.contracts if c.fields is not None)

    @property
    def not_expressed(self) -> tuple[Converted, ...]:
        return tuple(c for c in self.contracts if c.fields is None)

    def constraint_ids(self, decision_id: str) -> dict[str, str]:
        """Each expressed contract's key -> its constraint id (unique, readable)."""
        ids: dict[str, str] = {}
        for contract in self.expressed:
            base = f"{decision_id}/{slug(contract.key)}"
            candidate, number = base, 2
            while candidate in ids.values():
                candidate, number = f"{base}-{number}", number + 1
            ids[contract.key] = candidate
        return ids

    def front_matter(self, decision_id: str, title: str, date: datetime.date) -> dict[str, Any]:
        """The decision's front matter, validated as Charter reads it."""
        ids = self.constraint_ids(decision_id)
        constraints = [{"id": ids[c.key], **(c.fields or {})} for c in self.expressed]
        data: dict[str, Any] = {
            "id": decision_id,
            "title": title,
            "status": "accepted",
            "date": date,
            "tags": ["imports", self.tool],
            "constraints": constraints,
        }
        try:
            Decision.model_validate(data)
        except ValidationError as exc:
            raise CharterError(
                f"{self.config}: the converted contracts do not validate (a bug in the "
                f"conversion; please report it): {exc}"
            ) from None
        return data


def slug(text: str) -> str:
    """An id-safe form of ``text`` ('Layers (core)' -> 'Layers-core')."""
    return _SLUG.sub("-", text).strip("-._") or "contract"


def lines(value: Any) -> tuple[str, ...]:
    """A list option: a TOML array, or INI lines (one value per line, or one line)."""
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(item.strip() for item in value.strip().splitlines() if item.strip())
    return tuple(str(item).strip() for item in value if str(item).strip())


def boolean(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes", "on")
