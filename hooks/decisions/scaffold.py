"""A new decision record: the next number, a MADR 4 layout, front matter Charter reads.

The number follows the highest one in the folder (file names ``0007-...`` and ids
``ADR-0007``); the id takes the prefix the folder already uses (``CH-0009`` next to
``CH-0008``), ``ADR`` in a new folder. The record starts ``proposed`` (it warns, never
blocks) with an empty ``constraints`` list and commented examples to copy from.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import yaml

_NUMBER = re.compile(r"^(\d+)-")
_ID = re.compile(r"^([A-Za-z][A-Za-z]*)-(\d+)$")

TEMPLATE = """\
---
id: {id}
title: {title}
status: {status}  # proposed warns; accepted enforces (charter check blocks violations)
date: {date}
decision-makers: []
tags: []
# What Charter enforces; `charter schema` and the docs list every kind. Examples:
#   - kind: forbid-import
#     from: app.api
#     to: [app.db]
#     message: Route handlers must not touch the database directly.
#     remedy: Call a service from app.services instead.
#   - kind: banned-api
#     names: [datetime.datetime.now]
#     replacement: app.clock.now
constraints: []
---
# {id}: {heading}

## Context and Problem Statement

What forces this decision? Two or three sentences, or the question it answers.

## Decision Drivers

* ...

## Considered Options

* ...

## Decision Outcome

Chosen option: "...", because ...

### Consequences

* Good, because ...
* Bad, because ...

### Confirmation

The constraints in the front matter: `charter check` and the pre-commit hooks enforce
them once the status is `accepted`.

## Pros and Cons of the Options

### ...

## More Information
"""


@dataclass(frozen=True)
class NewRecord:
    file_name: str
    id: str
    text: str


def new_record(
    title: str,
    existing_files: Iterable[str],
    existing_ids: Iterable[str],
    today: datetime.date,
    status: str = "proposed",
) -> NewRecord:
    """The next record for ``title`` among the folder's file names and decision ids."""
    title = " ".join(title.split())
    prefixes: Counter[str] = Counter()
    numbers = [0]
    for name in existing_files:
        match = _NUMBER.match(name)
        if match:
            numbers.append(int(match.group(1)))
    for ident in existing_ids:
        match = _ID.match(ident)
        if match:
            prefixes[match.group(1)] += 1
            numbers.append(int(match.group(2)))
    prefix = prefixes.most_common(1)[0][0] if prefixes else "ADR"
    number = max(numbers) + 1
    ident = f"{prefix}-{number:04d}"
    text = TEMPLATE.format(
        id=ident,
        title=_yaml_string(title),
        status=status,
        date=today.isoformat(),
        heading=title,
    )
    return NewRecord(f"{number:04d}-{slug(title)}.md", ident, text)


def slug(title: str) -> str:
    """A file-name slug: ASCII letters and digits joined by '-', at most 60 characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return words[:60].rstrip("-") or "decision"


def _yaml_string(text: str) -> str:
    """``text`` as a YAML scalar: plain when YAML reads it back unchanged, else quoted."""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)
