"""A file's bytes as text, the way Python and editors read them, or why it cannot be read.

No rule may be evaded by encoding or size (issue 13):

- a Python file is decoded as Python decodes it: a PEP 263 cookie
  (``# -*- coding: latin-1 -*-``) or a BOM, else UTF-8; a file that does not decode
  in its declared encoding is unreadable;
- any other file is UTF-8 (BOM dropped); bytes that are not UTF-8 are replaced, so a
  pattern still sees every ASCII character (a Latin-1 YAML file is still checked);
- a file larger than ``MAX_BYTES`` is unreadable (reading it would cost the hook
  seconds), and so is a binary one (a NUL byte in its first 8 KiB).

What cannot be read is returned as ``Unreadable``: the engine turns it into a finding
(severity set by the ``unreadable`` setting) instead of a note pre-commit would hide.
"""

from __future__ import annotations

import codecs
import io
import tokenize
from dataclasses import dataclass

MAX_BYTES = 1_000_000
PYTHON_SUFFIXES = (".py", ".pyi")


@dataclass(frozen=True)
class Unreadable:
    """Why a file could not be read as text (a sentence naming the fix)."""

    reason: str


def decode(path: str, data: bytes, max_bytes: int = MAX_BYTES) -> str | Unreadable:
    """The text of ``path``'s ``data``, or why it cannot be read."""
    if len(data) > max_bytes:
        return Unreadable(
            f"larger than {max_bytes:,} bytes ({len(data):,}), so Charter did not read it: "
            "keep generated or data files out of scope ('exclude' in the config)"
        )
    if b"\0" in data[:8192]:
        return Unreadable(
            "a binary file (it holds NUL bytes), so no rule could read it: exclude it from "
            "the rule's scope if it is meant to be binary"
        )
    if path.endswith(PYTHON_SUFFIXES):
        return _python(data)
    return data.decode("utf-8-sig", errors="replace")


def _python(data: bytes) -> str | Unreadable:
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
