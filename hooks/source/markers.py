"""The lines of a file that carry a ``charter:`` comment (where waivers live).

Any comment syntax counts (``#``, ``--``, ``//``), so waivers serve YAML, SQL and other
text files; in Python files only real comments count, found with ``tokenize``: a string
that contains the waiver syntax (in a test, in documentation) waives nothing.
"""

from __future__ import annotations

import io
import tokenize


def marked_lines(path: str, text: str) -> list[tuple[int, str]]:
    """``(line number, text)`` of every comment mentioning ``charter:``."""
    if "charter:" not in text:
        return []
    if path.endswith((".py", ".pyi")):
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
        except (tokenize.TokenError, SyntaxError):
            pass  # does not tokenize: plain lines (the syntax error is reported anyway)
        else:
            return [
                (token.start[0], token.string)
                for token in tokens
                if token.type == tokenize.COMMENT and "charter:" in token.string
            ]
    return [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if "charter:" in line
    ]
