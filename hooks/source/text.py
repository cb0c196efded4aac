"""A file's bytes as text, the way Python and editors read them, or why it cannot be read.

No rule may be evaded by encoding or size (issue 13):

- a Python file is decoded as Python decodes it: a PEP 263 cookie
  (``# -*- coding: latin-1 -*-``) or a BOM, else UTF-8; a file that does not decode
  in its declared encoding is unreadable;
- any other file is UTF-8 (BOM dropped); bytes that are not UTF-8 are replaced, so a
  pattern still sees every ASCII character (a Latin-1 YAML file is still checked);
- a file larger than ``MAX_BYTES`` is unreadable (reading it would cost the hook
  seconds), and so is a Python file with a NUL byte in its first 8 KiB; any other file
  with one that is not UTF-8 either is binary (an image, an archive): a note, since no
  text rule means it, while a NUL byte alone does not hide a text file from the rules.

What cannot be read is returned as ``Unreadable``: the engine turns it into a finding
(severity set by the ``unreadable`` setting) instead of a note pre-commit would hide.
"""

from __future__ import annotations

import codecs
import io
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass

MAX_BYTES = 1_000_000
PYTHON_SUFFIXES = (".py", ".pyi")


@dataclass(frozen=True)
class Unreadable:
    """Why a file could not be read as text (a sentence naming the fix)."""

    reason: str
    finding: bool = True  # False: an image or archive, only worth a note


def decode(path: str, data: bytes, max_bytes: int = MAX_BYTES) -> str | Unreadable:
    """The text of ``path``'s ``data``, or why it cannot be read."""
    if len(data) > max_bytes:
        return Unreadable(
            f"larger than {max_bytes:,} bytes ({len(data):,}), so Charter did not read it: "
            "keep generated or data files out of scope ('exclude' in the config)"
        )
    python = path.endswith(PYTHON_SUFFIXES)
    if b"\0" in data[:8192] and (python or not _is_utf8(data)):
        return Unreadable(
            "a binary file (it holds NUL bytes), so no rule could read it: exclude it from "
            "the rule's scope if it is meant to be binary",
            finding=python,
        )
    if python:
        return _python(data)
    return data.decode("utf-8-sig", errors="replace")


def lacks(data: bytes, sets: Iterable[frozenset[str]]) -> bool:
    """Whether ``decode`` of ``data`` holds, for every set, not all of its words: told
    from the bytes, and only when certain (a word of ASCII characters is the same bytes
    in UTF-8 and in what decoding leaves or replaces). A file that names an encoding in
    its first two lines (a PEP 263 cookie) is left to its text."""
    if b"coding" in _first_two_lines(data):
        return False
    for each in sets:
        if not all(word.isascii() for word in each):
            return False
        if all(word.encode() in data for word in each):
            return False
    return True


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _first_two_lines(data: bytes) -> bytes:
    """The bytes before the second newline (all of them if there is none)."""
    end = data.find(b"\n", data.find(b"\n") + 1)
    return data if end < 0 else data[:end]


def _python(data: bytes) -> str | Unreadable:
    if not data.startswith(codecs.BOM_UTF8) and b"coding" not in _first_two_lines(data):
        # No BOM and no cookie in the first two lines (a cookie holds the word): what
        # detect_encoding would find, without its per-line Python (most files), and
        # without copying the rest of the file.
        encoding = "utf-8"
    else:
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        except SyntaxError as exc:  # an unknown codec, a cookie contradicting the BOM...
            if "invalid or missing encoding declaration" not in str(exc):
                return Unreadable(f"its encoding declaration cannot be used ({exc})")
            encoding = "utf-8"  # ... or no cookie and a first line that is not UTF-8
    try:
        codecs.lookup(encoding)
        return data.decode(encoding).removeprefix("\ufeff")
    except (LookupError, UnicodeDecodeError) as exc:
        line = data[: getattr(exc, "start", 0)].count(b"\n") + 1
        return Unreadable(
            f"not valid {encoding} on line {line}, so Python could not import it either: "
            "save it in the encoding it declares (UTF-8 by default)"
        )
