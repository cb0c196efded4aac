"""Each constraint as one instruction an agent can follow, in plain words.

``Do not import app.db or sqlalchemy from app.api. Route handlers must not touch the
database directly. Instead: inject a repository from app.repositories.`` The first
sentence comes from the constraint's kind and fields, the second from its ``message``,
the third from its ``remedy``. Each kind words the first (``Kind.instruction``).
"""

from __future__ import annotations

from charter.hooks.agents.records import Rule
from charter.hooks.kinds import KINDS
from charter.hooks.kinds.kind import or_list


def _scope_words(rule: Rule) -> str:
    # A kind whose 'paths' name the files it is about (protected) states them itself.
    paths = rule.fields.get("paths") if "paths" not in KINDS[rule.kind].targets else None
    exclude = rule.fields.get("exclude")
    if paths and exclude:
        return f" (for {or_list(paths)}, except {or_list(exclude)})"
    if paths:
        return f" (for {or_list(paths)})"
    if exclude:
        return f" (except {or_list(exclude)})"
    return ""


def action(rule: Rule) -> str:
    """The instruction for the constraint's kind and fields, without message or remedy."""
    return KINDS[rule.kind].instruction(rule.fields) + _scope_words(rule)


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
