"""Each constraint as one instruction an agent can follow, in plain words.

``Do not import app.db or sqlalchemy from app.api. Route handlers must not touch the
database directly. Instead: inject a repository from app.repositories.`` The first
sentence comes from the constraint's kind and fields, the second from its ``message``,
the third from its ``remedy``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from charter.hooks.agents.records import Rule
from charter.hooks.decisions.levels import levels


def _names(values: Any) -> str:
    """``a``, ``a or b``, ``a, b or c`` (``word`` joins the last two)."""
    return _join(values, "or")


def _join(values: Any, word: str) -> str:
    items = [values] if isinstance(values, str) else [_layer(v) for v in values or ()]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _layer(value: Any) -> str:
    (level,) = levels([value])
    if len(level.names) == 1:
        return level.names[0]
    joint = " | " if level.independent else " : "
    return "(" + joint.join(level.names) + ")"


def _scope_words(rule: Rule) -> str:
    paths = rule.fields.get("paths") if rule.kind != "protected" else None
    exclude = rule.fields.get("exclude")
    if paths and exclude:
        return f" (for {_names(paths)}, except {_names(exclude)})"
    if paths:
        return f" (for {_names(paths)})"
    if exclude:
        return f" (except {_names(exclude)})"
    return ""


def action(rule: Rule) -> str:
    """The instruction for the constraint's kind and fields, without message or remedy."""
    f = rule.fields
    kind = rule.kind
    indirect = " (not even indirectly)" if f.get("transitive") else ""
    if kind == "forbid-import":
        text = f"Do not import {_names(f.get('to'))} from {_names(f.get('from'))}{indirect}"
        if f.get("as_packages") is False:
            text += " (the modules themselves, not their submodules)"
        if f.get("allow_type_checking"):
            text += " (imports under `if TYPE_CHECKING:` are allowed)"
    elif kind == "layers":
        containers = f.get("containers") or ()
        inside = f" inside {_names(containers)}" if containers else ""
        order = " > ".join(_layer(layer) for layer in f.get("layers", ()))
        text = (
            f"Respect the layers {order}{inside}: a layer may import the layers below it, "
            "never one above it"
        )
        if f.get("exhaustive"):
            text += "; every subpackage must be one of the layers"
    elif kind == "independent":
        text = f"Keep {_join(f.get('modules'), 'and')} independent: none may import another"
    elif kind == "acyclic":
        deeper = f" (and {f['depth']} levels below)" if f.get("depth") else ""
        text = (
            f"Do not create import cycles between the subpackages of "
            f"{_names(f.get('packages'))}{deeper}"
        )
    elif kind == "protected-modules":
        who = _join(f.get("allowed_importers"), "and") or "their own package"
        text = f"Import {_names(f.get('modules'))} only from {who}"
    elif kind == "private-modules":
        within = f" in {_names(f['packages'])}" if f.get("packages") else ""
        text = (
            f"Import a private module (a name starting with '_'){within} only from within "
            "its parent package"
        )
    elif kind == "banned-api":
        text = f"Do not use {_names(f.get('names'))}"
        if f.get("replacement"):
            text += f"; use {f['replacement']} instead"
    elif kind == "dependencies":
        parts = []
        if f.get("allow") is not None:
            parts.append(f"Import only these third-party packages: {_join(f['allow'], 'and')}")
        if f.get("forbid"):
            parts.append(f"Do not import the third-party packages {_names(f['forbid'])}")
        text = "; ".join(parts)
    elif kind == "file-placement":
        parts = []
        if f.get("allow") is not None:
            parts.append(f"Put files only at paths matching {_names(f['allow'])}")
        if f.get("deny"):
            parts.append(f"Do not create files matching {_names(f['deny'])}")
        text = "; ".join(parts)
    elif kind == "forbid-pattern":
        where = f" in {_names(f['files'])}" if f.get("files") else ""
        text = f"Do not write text matching the regex `{f.get('pattern')}`{where}"
    elif kind == "require-pattern":
        where = f" in {_names(f['files'])}" if f.get("files") else ""
        text = f"Every file{where} must contain text matching the regex `{f.get('pattern')}`"
    elif kind == "ruff":
        text = f"Keep the code clean of ruff rules {_join(f.get('select'), 'and')}"
        if f.get("ignore"):
            text += f" (except {_join(f['ignore'], 'and')})"
    elif kind == "protected":
        text = f"Do not modify or delete {_names(f.get('paths'))}"
    elif kind == "co-change":
        text = (
            f"When you change {_names(f.get('when'))}, also change "
            f"{_names(f.get('require'))} in the same commit"
        )
    elif kind == "python":
        text = f"Satisfy the team check {f.get('check')}"
    else:
        text = f"Comply with the {kind} constraint"
    if f.get("ignore_imports"):
        text += f" (allowed exceptions: {_join(f['ignore_imports'], 'and')})"
    return text + _scope_words(rule)


def instruction(rule: Rule) -> str:
    """The whole instruction: action, then why (message), then ``Instead:`` (remedy)."""
    parts = [_sentence(action(rule))]
    if rule.message:
        parts.append(_sentence(rule.message))
    if rule.remedy:
        parts.append("Instead: " + _sentence(_lower_first(rule.remedy)))
    return " ".join(parts)


def _lower_first(text: str) -> str:
    """``Use a client`` -> ``use a client``; ``CHANGELOG.md ...`` stays as it is."""
    text = text.strip()
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def instructions(rules: Sequence[Rule]) -> list[str]:
    return [instruction(rule) for rule in rules]
