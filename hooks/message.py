"""The commit message as the commit-msg hook sees it: cleaned, with Charter's trailers.

Git hands the hook the message file before its own cleanup, so the cleanup git will do
is done here, in the mode git will use (``cleanup_mode``): with an editor (and by
default ``strip``), comment lines (starting with ``core.commentChar``, ``#`` by default)
and everything below the ``git commit -v`` scissors line go; with ``-m``/``-F`` (git
runs the hook with ``GIT_EDITOR=:``) only whitespace is trimmed, so ``#42 Fix`` stays
the subject. Nothing but the trailers is read from the message: the checks run whatever
it says, an empty one included (git itself aborts that commit).

Trailers are the ``Key: value`` lines of the message's last paragraph (never the
subject), continued by indented lines, as ``git interpret-trailers`` reads them.
Charter reads two:

- ``Charter-Waive: ADR-0012 -- reason``: waives that decision's (or constraint's)
  diff-level violations for this commit; the reason is required;
- ``Charter-Approved-By: name``: approves a change that weakens governance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from charter.hooks.lazyre import Lazy

WAIVE = "charter-waive"
APPROVED_BY = "charter-approved-by"
_TRAILER = Lazy(r"^(?P<key>[A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(?P<value>.*)$")
_WAIVE_VALUE = Lazy(
    r"^(?P<ids>[A-Za-z0-9][A-Za-z0-9._/-]*(?:\s*,\s*[A-Za-z0-9][A-Za-z0-9._/-]*)*)"
    r"\s*(?:--\s*(?P<reason>.*))?$"
)
SCISSORS = "------------------------ >8 ------------------------"


@dataclass(frozen=True)
class Waive:
    """A ``Charter-Waive`` trailer: the decisions or constraints it waives, and why."""

    ids: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Message:
    """A commit message, cleaned as git cleans it, with Charter's trailers read."""

    text: str  # the cleaned message
    waives: tuple[Waive, ...] = ()
    approvals: tuple[str, ...] = ()  # names in Charter-Approved-By trailers
    problems: tuple[str, ...] = ()  # Charter trailers that do nothing, and why


CLEANUP_MODES = ("strip", "whitespace", "verbatim", "scissors", "default")


def cleanup_mode(configured: str | None, editor_used: bool) -> str:
    """The cleanup git applies: ``commit.cleanup`` if set, else ``strip`` with an editor
    and ``whitespace`` without one (git's own default)."""
    mode = (configured or "default").lower()
    if mode not in CLEANUP_MODES or mode == "default":
        return "strip" if editor_used else "whitespace"
    return mode


def clean(raw: str, comment_char: str = "#", mode: str = "strip") -> str:
    """The message as git stores it after cleanup ``mode``."""
    if mode == "verbatim":
        return raw
    kept: list[str] = []
    strip_comments = mode == "strip" and bool(comment_char)
    for line in raw.splitlines():
        if (
            mode in ("strip", "scissors")
            and comment_char
            and line.startswith(comment_char)
            and line[len(comment_char) :].strip() == SCISSORS
        ):
            break
        if strip_comments and line.startswith(comment_char):
            continue
        kept.append(line.rstrip())
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    return "\n".join(kept) + "\n" if kept else ""


def trailers(text: str) -> list[tuple[str, str]]:
    """The ``(key, value)`` trailers of a cleaned message, keys as written."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", text.strip("\n")) if p.strip()]
    if len(paragraphs) < 2:
        return []  # the subject line is never a trailer block
    found: list[tuple[str, str]] = []
    for line in paragraphs[-1].splitlines():
        if line[:1] in (" ", "\t") and found:
            key, value = found[-1]
            found[-1] = (key, f"{value} {line.strip()}")
            continue
        match = _TRAILER.get().match(line)
        if match is None:
            return []  # not a trailer block: free text in the last paragraph
        found.append((match["key"], match["value"].strip()))
    return found


def parse(raw: str, comment_char: str = "#", mode: str = "strip") -> Message:
    """The cleaned message and what its Charter trailers say."""
    text = clean(raw, comment_char, mode)
    waives: list[Waive] = []
    approvals: list[str] = []
    problems: list[str] = []
    for key, value in trailers(text):
        if key.lower() == WAIVE:
            waive, problem = _waive(value)
            if waive is not None:
                waives.append(waive)
            else:
                problems.append(f"'{key}: {value}' waives nothing: {problem}")
        elif key.lower() == APPROVED_BY:
            if value:
                approvals.append(value)
            else:
                problems.append(f"'{key}:' approves nothing: write the approver's name after it")
    return Message(text, tuple(waives), tuple(approvals), tuple(problems))


def _waive(value: str) -> tuple[Waive | None, str]:
    match = _WAIVE_VALUE.get().match(value)
    if match is None:
        return None, "write 'Charter-Waive: ADR-0012 -- why this change is acceptable'"
    reason = (match["reason"] or "").strip()
    if not reason:
        return None, "a waiver needs a reason: add ' -- why this change is acceptable'"
    ids = tuple(part.strip() for part in match["ids"].split(","))
    return Waive(ids, reason), ""


def waived_ids(message: Message) -> Iterator[str]:
    for waive in message.waives:
        yield from waive.ids
