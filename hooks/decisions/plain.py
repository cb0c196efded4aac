"""Decision records validated without pydantic, where the result is certain (issue 15).

On a fresh clone every record is validated before anything is judged. With pydantic that
costs ~130 ms of CPU, nearly all of it importing pydantic and building the models, on
the core the import scan of a cold ``check`` needs. The models stay the one definition of
every field: ``fields.json`` is derived from them (``table()``; ``python -m
charter.hooks.decisions.plain`` writes it, and ``tests/test_plain_validation.py`` fails
when it is stale). This module validates a record from that table the way pydantic
would, and only where pydantic's answer is certain:

- a value is taken only in the exact type YAML gives a valid field (a string, a list
  of strings, a boolean, an integer that is no boolean, a date); pydantic's coercions
  (``"yes"`` as true, ``"3"`` as 3) are left to pydantic;
- the checks of a value, and each kind's check of its fields together, are the
  functions pydantic runs (``constraint/checks.py``, the kinds' ``check_fields``);
- anything else (a key the table does not know, a kind it does not describe, a value a
  check refuses, a required key missing) raises ``Unsure``: the caller then validates
  every record with pydantic, which reports what is wrong as it always did.

So records validated here give the constraints pydantic gives, byte for byte in the
compiled form (``decisions/compile.py``), and records that would not pass are never
taken here.
"""

from __future__ import annotations

import datetime
import importlib
import json
import math
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from charter.hooks.constraint.checks import BEFORE, CHECKS
from charter.hooks.decisions.compile import tuples

if TYPE_CHECKING:
    from charter.hooks.decisions.load import LoadResult
    from charter.hooks.decisions.model import DecisionBase
    from charter.hooks.source.snapshot import Snapshot

TABLE = Path(__file__).with_name("fields.json")

# A field's type, as the table writes it (``_shape``): "str", "bool", "int", "date",
# "dict", {"literal": [...]}, {"tuple": item}, {"optional": inner}, {"union": [...]},
# each with optional "before" (names in ``checks.BEFORE``), "each" and "check" (names
# in ``checks.CHECKS``), and bounds (``_BOUNDS``: "min_length", "ge", ...).
Shape = Any


class Unsure(Exception):
    """This record is left to pydantic."""


class Constraint(SimpleNamespace):
    """One validated constraint: its fields by attribute, as a pydantic model has them."""

    def __init__(self, dumped: dict[str, Any]) -> None:
        super().__init__(**{name: tuples(value) for name, value in dumped.items()})
        self._dumped = dumped

    def model_dump(self, mode: str = "json") -> dict[str, Any]:
        """The fields as pydantic's ``model_dump(mode="json")`` gives them."""
        return dict(self._dumped)


class Decision(SimpleNamespace):
    """One validated record's front matter: every field of ``DecisionBase`` by attribute
    (read as one by ``decisions/catalog.py``), without pydantic's methods; each value in
    its JSON form, lists as tuples (a date is its ISO text)."""

    id: str
    status: str
    supersedes: tuple[str, ...]
    scope: tuple[str, ...]
    constraints: tuple[Constraint, ...]

    def constraint_id(self, index: int) -> str:
        """The id of ``constraints[index]``: its own, or ``<decision id>/<n>``."""
        own = self.constraints[index].id
        return own if own is not None else f"{self.id}/{index + 1}"


def load_folder(root: Path, folder: str) -> LoadResult | None:
    """Every record under ``root / folder``; None when one is left to pydantic."""
    from charter.hooks.decisions import load

    return _certain(lambda: load.load_folder(root, folder, decision))


def load_snapshot(snapshot: Snapshot, folder: str) -> LoadResult | None:
    """Every record under ``folder`` of a snapshot; None when one is left to pydantic."""
    from charter.hooks.decisions import load

    return _certain(lambda: load.load_snapshot(snapshot, folder, decision))


def _certain(read: Callable[[], LoadResult]) -> LoadResult | None:
    """The records, unless one is left to pydantic or reading one found an error: the
    run with the models then reports it (whatever went wrong here, it is that run that
    says so, never this one)."""
    try:
        loaded = read()
    except Exception:  # Unsure, above all
        return None
    if any(problem.severity == "error" for problem in loaded.problems):
        return None
    return loaded


def decision(data: dict[str, Any]) -> DecisionBase:
    """One record's front matter, validated from the table; ``Unsure`` otherwise."""
    fields = _table()
    if fields is None:
        raise Unsure("no field table")
    values = _record(fields["decision"], data, extra_allowed=True)
    items = data.get("constraints", [])
    if type(items) is not list:
        raise Unsure("constraints")
    constraints = tuple(_constraint(fields["kinds"], item) for item in items)
    values = {name: tuples(value) for name, value in values.items()}
    return cast("DecisionBase", Decision(**values, constraints=constraints))


def _constraint(kinds: Mapping[str, Any], item: Any) -> Constraint:
    kind = item.get("kind") if type(item) is dict else None
    described = kinds.get(kind) if type(kind) is str else None
    if described is None:
        raise Unsure(f"kind {kind!r}")
    constraint = Constraint(_record(described["fields"], item, extra_allowed=False))
    check = described["check"]
    if check is not None:
        try:
            _function(check)(constraint)
        except Exception as exc:
            raise Unsure(check) from exc
    return constraint


def _record(fields: list[dict[str, Any]], data: dict[str, Any], extra_allowed: bool) -> Any:
    """The fields of one record by name, as pydantic's JSON dump gives them."""
    known: set[str] = set()
    values: dict[str, Any] = {}
    for spec in fields:
        name, key = spec["name"], spec["key"]
        known |= {name, key}
        given = [k for k in {name, key} if k in data]
        if len(given) > 1:
            raise Unsure(name)
        if given:
            values[name] = _value(spec["type"], data[given[0]])
        elif spec["required"]:
            raise Unsure(name)
        else:
            values[name] = json.loads(json.dumps(spec["default"]))  # never the table's own
    if not extra_allowed and any(key not in known for key in data):
        raise Unsure("an unknown key")
    return values


def _value(shape: Shape, raw: Any) -> Any:
    """``raw`` as the JSON dump of the validated field, or ``Unsure``."""
    if shape is None:
        raise Unsure("a field the table does not describe")
    if isinstance(shape, str):
        shape = {"type": shape}
    for name in shape.get("before", ()):
        raw = BEFORE[name](raw)
    value = _typed(shape, raw)
    if value is None:
        return None  # an optional field left empty: its bounds and checks are the inner's
    for bound, within in _BOUNDS.items():
        if bound in shape and not within(value, shape[bound]):
            raise Unsure(bound)
    try:
        for name in [shape["each"]] if "each" in shape else []:
            for item in value:
                CHECKS[name](item)
        if "check" in shape:
            CHECKS[shape["check"]](value)
    except ValueError as exc:
        raise Unsure(str(exc)) from exc
    return value


# pydantic's bounds (annotated_types' ``MinLen``, ``Gt``, ...), by the table's name.
_BOUNDS: dict[str, Callable[[Any, Any], bool]] = {
    "min_length": lambda value, n: len(value) >= n,
    "max_length": lambda value, n: len(value) <= n,
    "gt": lambda value, n: value > n,
    "ge": lambda value, n: value >= n,
    "lt": lambda value, n: value < n,
    "le": lambda value, n: value <= n,
}

_EXACT: dict[str, type] = {"str": str, "bool": bool, "int": int, "date": datetime.date}


def _typed(shape: dict[str, Any], raw: Any) -> Any:
    kind = shape["type"]
    if kind in _EXACT:
        if type(raw) is not _EXACT[kind]:
            raise Unsure(kind)
        return raw.isoformat() if isinstance(raw, datetime.date) else raw
    if kind == "literal":
        if type(raw) is not str or raw not in shape["values"]:
            raise Unsure("literal")
        return raw
    if kind == "optional":
        return None if raw is None else _value(shape["inner"], raw)
    if kind == "tuple":
        if type(raw) is not list:
            raise Unsure("tuple")
        return [_value(shape["items"], item) for item in raw]
    if kind == "union":  # options of different types: at most one can take the value
        for option in shape["options"]:
            try:
                return _value(option, raw)
            except Unsure:
                continue
        raise Unsure("union")
    if kind == "dict":
        if type(raw) is not dict or not _json_native(raw):
            raise Unsure("dict")
        return raw
    raise Unsure(kind)


def _json_native(value: Any) -> bool:
    """Whether pydantic's JSON dump of ``value`` (a ``dict[str, Any]`` field) is itself."""
    if value is None or type(value) in (str, int, bool):
        return True
    if type(value) is float:
        return math.isfinite(value)
    if type(value) is list:
        return all(_json_native(item) for item in value)
    if type(value) is dict:
        return all(type(k) is str and _json_native(v) for k, v in value.items())
    return False


def _function(path: str) -> Callable[[Any], None]:
    module, _, name = path.partition(":")
    found: Callable[[Any], None] = getattr(importlib.import_module(module), name)
    return found


@cache
def _table() -> dict[str, Any] | None:
    try:
        loaded: dict[str, Any] = json.loads(TABLE.read_bytes())
    except (OSError, ValueError):
        return None
    return loaded


# -- the table, derived from the models (imports pydantic) ------------------------------


class _Undescribed(Exception):
    """A type or a validator the table cannot describe: pydantic alone validates it."""


def table() -> dict[str, Any]:
    """The field table of the decision record and of every kind (None: a kind left to
    pydantic), from the pydantic models."""
    from charter.hooks.decisions.model import DecisionBase
    from charter.hooks.kinds import KINDS

    kinds: dict[str, Any] = {}
    for name, kind in KINDS.items():
        model = kind.model()
        try:
            kinds[name] = {"fields": _fields(model), "check": _model_check(model)}
        except _Undescribed:
            kinds[name] = None
    decision_fields = [f for f in _fields(DecisionBase, lenient=True) if f["name"] != "constraints"]
    return {"decision": decision_fields, "kinds": kinds}


def _fields(model: Any, lenient: bool = False) -> list[dict[str, Any]]:
    """Each field of ``model`` in its order; ``lenient``: a field the table cannot
    describe gets no shape (a record that gives it is left to pydantic)."""
    found = []
    for name, info in model.model_fields.items():
        try:
            shape = _shape(info.annotation, info.metadata)
        except _Undescribed:
            if not lenient:
                raise
            shape = None
        default = None
        if not info.is_required():
            default = json.loads(json.dumps(info.get_default(call_default_factory=True)))
        found.append(
            {
                "name": name,
                "key": info.alias or name,
                "required": info.is_required(),
                "default": default,
                "type": shape,
            }
        )
    return found


def _model_check(model: Any) -> str | None:
    decorators = model.__pydantic_decorators__
    if decorators.field_validators or decorators.validators or decorators.root_validators:
        raise _Undescribed("field validators")
    checks = [getattr(d.func, "check", None) for d in decorators.model_validators.values()]
    if len(checks) > 1 or None in checks:
        raise _Undescribed("a model validator without a plain check")
    check = checks[0] if checks else None
    return None if check is None else f"{check.__module__}:{check.__name__}"


def _shape(annotation: Any, metadata: list[Any] = ()) -> Shape:  # type: ignore[assignment]
    """The table's type for a field's annotation and its metadata (pydantic's)."""
    import types
    import typing

    from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        return _shape(inner, [*extra, *metadata])
    shape: dict[str, Any]
    args = typing.get_args(annotation)
    if annotation in (str, bool, int, datetime.date):
        shape = {"type": annotation.__name__}
    elif origin is typing.Literal and all(type(a) is str for a in args):
        shape = {"type": "literal", "values": list(args)}
    elif origin in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1:
            raise _Undescribed(str(annotation))
        shape = {"type": "optional", "inner": _shape(rest[0])}
    elif origin in (typing.Union, types.UnionType):
        options = [_shape(a) for a in args]
        kinds = [o if isinstance(o, str) else o["type"] for o in options]
        if len(set(kinds)) != len(kinds) or not set(kinds) <= {"str", "tuple"}:
            raise _Undescribed(str(annotation))
        shape = {"type": "union", "options": options}
    elif origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        shape = {"type": "tuple", "items": _shape(args[0])}
    elif origin is dict and args == (str, typing.Any):
        shape = {"type": "dict"}
    else:
        raise _Undescribed(str(annotation))
    for item in metadata:
        if isinstance(item, WithJsonSchema):
            continue
        bound = _BOUND_OF.get(type(item).__name__)  # annotated_types', as pydantic gives them
        if bound is not None:
            shape[bound] = getattr(item, bound)
        elif isinstance(item, BeforeValidator) and BEFORE.get(_name(item.func)) is item.func:
            shape.setdefault("before", []).append(_name(item.func))
        elif isinstance(item, AfterValidator) and _each_check(item.func) is not None:
            shape["each"] = _each_check(item.func)
        elif isinstance(item, AfterValidator) and CHECKS.get(_name(item.func)) is item.func:
            shape["check"] = _name(item.func)
        else:
            raise _Undescribed(repr(item))
    return shape["type"] if list(shape) == ["type"] else shape


_BOUND_OF = {
    "MinLen": "min_length",
    "MaxLen": "max_length",
    "Gt": "gt",
    "Ge": "ge",
    "Lt": "lt",
    "Le": "le",
}


def _name(function: Any) -> str:
    return str(getattr(function, "__name__", ""))


def _each_check(function: Any) -> str | None:
    check = getattr(function, "check", None)
    return _name(check) if check is not None and CHECKS.get(_name(check)) is check else None


def main() -> None:
    """Write ``fields.json`` from the models."""
    TABLE.write_text(json.dumps(table(), indent=1, sort_keys=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
