"""MkDocs hook: writes the generated parts of the docs from Charter's own code.

``<!-- charter:kinds-reference -->`` becomes the reference of every constraint kind,
built from the JSON Schema that ``charter schema`` prints (the kinds' pydantic models),
so the page cannot drift from the code: a kind added without a ``summary`` on its
``Kind`` record fails the build. ``<!-- charter:decision-index -->`` becomes the list
of Charter's own decisions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from charter.hooks.decisions.model import decision_json_schema
from charter.hooks.kinds import KINDS
from charter.hooks.kinds.kind import Kind, Reads

KINDS_MARKER = "<!-- charter:kinds-reference -->"
INDEX_MARKER = "<!-- charter:decision-index -->"
DECISION_MARKER = "<!-- charter:decision-keys -->"

# Meanings for keys whose model field carries no description (the schema's wins).
MEANINGS = {
    "title": "One line; default: the first heading, without a leading 'ADR-0007:'.",
    "date": "When it was decided (YYYY-MM-DD).",
    "pattern": "A Python regular expression; flags inline, e.g. '(?i)'.",
    "allow_type_checking": "Allow imports under 'if TYPE_CHECKING:'.",
    "select": "Ruff rule codes or prefixes to apply ('E501', 'TID').",
    "ignore": "Ruff rule codes or prefixes to leave out.",
}


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """MkDocs calls this for every page before rendering it."""
    if KINDS_MARKER in markdown:
        markdown = markdown.replace(KINDS_MARKER, kinds_reference(decision_json_schema()))
    if DECISION_MARKER in markdown:
        markdown = markdown.replace(DECISION_MARKER, decision_keys(decision_json_schema()))
    if INDEX_MARKER in markdown:
        folder = Path(page.file.abs_src_path).parent
        markdown = markdown.replace(INDEX_MARKER, decision_index(folder))
    return markdown


def kinds_reference(schema: dict[str, Any]) -> str:
    """The Markdown reference of every kind in ``schema``."""
    mapping = schema["properties"]["constraints"]["items"]["discriminator"]["mapping"]
    kinds = {name: schema["$defs"][ref.rsplit("/", 1)[1]] for name, ref in mapping.items()}
    unsummarised = sorted(name for name in kinds if not KINDS[name].summary)
    if set(kinds) != set(KINDS) or unsummarised:
        raise ValueError(
            f"the schema has kinds {sorted(kinds)} and the registry {sorted(KINDS)}; "
            f"without a summary: {unsummarised} (set `summary` on each kind's `Kind` "
            "record in hooks/kinds/)"
        )
    common = set.intersection(*(set(d["properties"]) for d in kinds.values())) - {"kind"}
    first = next(iter(kinds.values()))
    parts = [
        "## Keys every constraint accepts\n",
        _field_table(first, sorted(common)),
    ]
    for name in sorted(kinds):
        definition = kinds[name]
        own = [key for key in definition["properties"] if key not in common | {"kind"}]
        kind = KINDS[name]
        parts += [
            f"## `{name}`\n",
            kind.summary + "\n",
            _sample(kind),
            _how(kind) + "\n",
            _field_table(definition, own, _strictness(kind)),
        ]
    parts.append(
        "The last column is what governance allows without a `Charter-Approved-By:` "
        "trailer when the constraint belongs to an accepted decision ([Governance]"
        "(governance.md)).\n"
    )
    return "\n".join(parts)


def _sample(kind: Kind) -> str:
    """The kind's sample constraint, as a decision's front matter writes it."""
    front = {"constraints": [{"kind": kind.name, **kind.sample}]}
    text = yaml.safe_dump(front, sort_keys=False, default_flow_style=None)
    return f"```yaml\n{text}```\n"


def _how(kind: Kind) -> str:
    """What the kind reads, which hook judges it, and whether ``charter fix`` fixes it."""
    hook = (
        "`charter-commit-msg` (a commit's change)"
        if kind.reads is Reads.CHANGE
        else ("`charter-check` and `charter check`")
    )
    fix = " Autofix: `charter fix` rewrites it (set `replacement`)." if kind.fix else ""
    return f"Reads {kind.reads.value}; judged by {hook}.{fix}"


def _strictness(kind: Kind) -> dict[str, str]:
    """The governance rule of each field, by its YAML name."""
    return {name.rstrip("_"): rule.value for name, rule in kind.strictness.items()}


def decision_keys(schema: dict[str, Any]) -> str:
    """The table of a decision's top-level keys; the constraints have their own page."""
    keys = [key for key in schema["properties"] if key != "constraints"]
    table = _field_table(schema, keys)
    link = "[Constraint kinds](kinds.md)"
    return table + f"| `constraints` | list of constraints | | none | {link} |\n"


def _field_table(
    definition: dict[str, Any], keys: list[str], strictness: dict[str, str] | None = None
) -> str:
    required = set(definition.get("required", ()))
    rows = ["| key | type | required | default | meaning |", "|---|---|---|---|---|"]
    if strictness is not None:
        rows = [rows[0] + " changes allowed |", rows[1] + "---|"]
    for key in keys:
        spec = definition["properties"][key]
        default = _default(spec)
        meaning = spec.get("description", MEANINGS.get(key, "")).replace("|", "\\|")
        row = (
            f"| `{key}` | {_type(spec)} | {'yes' if key in required else ''} "
            f"| {default} | {meaning} |"
        )
        if strictness is not None:
            row += f" {strictness.get(key, '')} |"
        rows.append(row)
    return "\n".join(rows) + "\n"


def _default(spec: dict[str, Any]) -> str:
    if "default" not in spec:
        return ""
    value = spec["default"]
    if value is None or value == [] or value == {}:
        return "none"
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


def _type(spec: dict[str, Any]) -> str:
    if "const" in spec:
        return f"`{spec['const']}`"
    if "enum" in spec:
        return " \\| ".join(f"`{value}`" for value in spec["enum"])
    if "anyOf" in spec:
        options = [_type(option) for option in spec["anyOf"] if option.get("type") != "null"]
        if options == ["string", "list of strings"]:
            return "string or list of strings"
        return " or ".join(options)
    kind = spec.get("type")
    if kind == "array":
        item = _type(spec.get("items", {}))
        return f"list of {item}s" if " " not in item else f"list of ({item})"
    return {"boolean": "boolean", "object": "mapping", "string": "string"}.get(kind, "any")


def decision_index(folder: Path) -> str:
    """A table of the decision records in ``folder``: id, title, status."""
    rows = ["| decision | title | status |", "|---|---|---|"]
    for path in sorted(folder.glob("[0-9]*.md")):
        text = path.read_text(encoding="utf-8")
        fields = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
        rows.append(f"| [{fields['id']}]({path.name}) | {fields['title']} | {fields['status']} |")
    return "\n".join(rows) + "\n"
