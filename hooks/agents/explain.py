"""``charter explain``: what a decision checks, why, and what breaking and fixing it look like.

The checks are the constraints' instructions (``instructions``); the why is the
decision's prose; the examples are made from each constraint's own fields, so an
explanation never describes a module or a glob the decision does not name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from charter.hooks.agents.instructions import action
from charter.hooks.agents.records import Record, Rule

Example = tuple[str, str]  # (a violation, its fix)
_COMMON_PACKAGES = ("requests", "numpy", "yaml", "boto3", "pandas")


def explain(record: Record, only: str | None = None, words: int = 150) -> str:
    """The explanation of ``record`` (or only of its constraint ``only``) as Markdown."""
    lines = [
        f"# {record.id}: {record.title}",
        "",
        f"- Status: {_status(record.status)}",
        f"- File: `{record.source}`",
        "",
        "## What it checks",
        "",
    ]
    rules = [rule for rule in record.rules if only in (None, rule.id)]
    if not rules:
        lines.append("Nothing machine-checked: the decision is prose only.")
    for rule in rules:
        violation, fix = example(rule)
        lines += [f"### {rule.id} [{rule.kind}]", "", _sentence(action(rule))]
        if rule.message:
            lines.append(_sentence(rule.message))
        lines += ["", f"- Violation: {violation}", f"- Fix: {fix}", ""]
    prose = why(record.body, words)
    lines += ["## Why", "", prose or "The decision file gives no reasons yet.", ""]
    return "\n".join(lines)


def _status(status: str) -> str:
    if status == "accepted":
        return "accepted (enforced: a violation blocks the commit)"
    return "proposed (a violation is a warning; it does not block yet)"


def why(body: str, limit: int) -> str:
    """The decision's prose without headings or comments, at most ``limit`` words."""
    text = re.sub(r"<!--.*?-->", "", body, flags=re.DOTALL)
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        kept = [line.strip() for line in block.splitlines() if not line.lstrip().startswith("#")]
        joined = " ".join(line for line in kept if line)
        if joined:
            paragraphs.append(joined)
    found = "\n\n".join(paragraphs).split(" ")
    if len(found) <= limit:
        return "\n\n".join(paragraphs)
    return " ".join(found[:limit]) + " ... (more in the decision file)"


def example(rule: Rule) -> Example:
    """A violation of ``rule`` and its fix, in words and code made from its fields."""
    violation, fix = _EXAMPLES.get(rule.kind, _python)(rule.fields)
    return violation, _sentence(rule.remedy or fix)


def _first(values: Any) -> str:
    items = [values] if isinstance(values, str) else list(values or ())
    first = items[0] if items else "x"
    return first if isinstance(first, str) else str(first[0])


def _module(pattern: str) -> str:
    """A module name a pattern matches: ``app.*.views`` -> ``app.x.views``."""
    return pattern.replace(".**", ".x").replace("*", "x")


def _path(glob: str) -> str:
    """A path a glob matches: ``migrations/0*.py`` -> ``migrations/0example.py``."""
    path = glob.rstrip("/") + ("/example.py" if glob.endswith("/") else "")
    path = path.replace("**/", "").replace("**", "example").replace("*", "example")
    return re.sub(r"\[([^\]])[^\]]*\]", r"\1", path).replace("?", "x")


def _forbid_import(f: dict[str, Any]) -> Example:
    source, target = _module(_first(f.get("from"))), _module(_first(f.get("to")))
    fix = (
        f"Import `{f['replacement']}` instead"
        if f.get("replacement")
        else (f"Reach what you need from `{target}` through a module `{source}` may import")
    )
    return f"`import {target}` in a module of `{source}`", fix


def _layers(f: dict[str, Any]) -> Example:
    layers = [_first(layer) for layer in f.get("layers", ())]
    prefix = f"{_first(f['containers'])}." if f.get("containers") else ""
    high, low = prefix + layers[0], prefix + layers[-1]
    return (
        f"`import {high}` in a module of `{low}` (a lower layer importing a higher one)",
        f"Move what `{low}` needs from `{high}` down into `{low}` or below, "
        f"or let `{high}` pass it in",
    )


def _independent(f: dict[str, Any]) -> Example:
    modules = list(f.get("modules", ()))
    if len(modules) >= 2:
        one, other = _module(modules[0]), _module(modules[1])
    else:  # a pattern such as app.plugins.*: two of the modules it matches
        one, other = modules[0].replace("*", "a"), modules[0].replace("*", "b")
    return (
        f"`import {other}` in a module of `{one}`",
        "Move what both need into a module outside them that both may import",
    )


def _acyclic(f: dict[str, Any]) -> Example:
    package = _first(f.get("packages"))
    return (
        f"`{package}.a` imports `{package}.b`, and `{package}.b` imports `{package}.a`",
        f"Move what both need into a third module, say `{package}.common`",
    )


def _banned_api(f: dict[str, Any]) -> Example:
    name = _first(f.get("names"))
    fix = f"Call `{f['replacement']}` instead" if f.get("replacement") else "Do without it"
    return f"a use of `{name}`, such as `{name}(...)`", fix


def _dependencies(f: dict[str, Any]) -> Example:
    allow = f.get("allow")
    if allow is not None:
        other = next((p for p in _COMMON_PACKAGES if p not in allow), "another_package")
        return f"`import {other}` (not in the allowed list)", (
            f"Use {', '.join(f'`{p}`' for p in allow) or 'the standard library'} instead"
        )
    return f"`import {_first(f.get('forbid'))}`", "Use another package, or the standard library"


def _file_placement(f: dict[str, Any]) -> Example:
    if f.get("deny"):
        return f"a new file `{_path(_first(f['deny']))}`", "Put the file where it belongs"
    target = _path(_first(f.get("allow")))
    return "a new file outside the allowed places, such as `scratch.py`", (
        f"Move it to a matching place, such as `{target}`"
    )


def _forbid_pattern(f: dict[str, Any]) -> Example:
    where = f" in `{_path(_first(f['files']))}`" if f.get("files") else ""
    return f"a line matching `{f.get('pattern')}`{where}", "Remove or rewrite the matching text"


def _require_pattern(f: dict[str, Any]) -> Example:
    where = f"`{_path(_first(f['files']))}`" if f.get("files") else "a file in scope"
    return f"{where} without text matching `{f.get('pattern')}`", "Add the required text"


def _ruff(f: dict[str, Any]) -> Example:
    codes = " ".join(f.get("select", ()))
    return f"code ruff reports under {codes}", (
        f"Fix what `ruff check --select {','.join(f.get('select', ()))}` reports "
        "(`--fix` repairs some)"
    )


def _protected(f: dict[str, Any]) -> Example:
    path = _path(_first(f.get("paths")))
    return f"a commit that edits or deletes `{path}`", (
        "Leave it as it is and add a new file beside it (adding files is allowed)"
    )


def _co_change(f: dict[str, Any]) -> Example:
    when, require = _path(_first(f.get("when"))), _path(_first(f.get("require")))
    return f"a commit that changes `{when}` and nothing matching `{_first(f.get('require'))}`", (
        f"Change `{require}` in the same commit"
    )


def _python(f: dict[str, Any]) -> Example:
    return f"what the team check `{f.get('check')}` reports", "Follow the check's message"


_EXAMPLES: dict[str, Callable[[dict[str, Any]], Example]] = {
    "forbid-import": _forbid_import,
    "layers": _layers,
    "independent": _independent,
    "acyclic": _acyclic,
    "banned-api": _banned_api,
    "dependencies": _dependencies,
    "file-placement": _file_placement,
    "forbid-pattern": _forbid_pattern,
    "require-pattern": _require_pattern,
    "ruff": _ruff,
    "protected": _protected,
    "co-change": _co_change,
    "python": _python,
}


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."
