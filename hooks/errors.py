"""The one expected-failure type and the exit codes it maps to.

A ``CharterError`` is a problem the user can fix (bad flag, bad config, malformed
decision): the CLI prints its message and exits 2. Anything else escaping a command is
a bug in Charter: the CLI prints a one-line summary and exits 3 (``--debug`` re-raises).
"""

from __future__ import annotations

from typing import Final

EXIT_OK: Final = 0
EXIT_VIOLATIONS: Final = 1
EXIT_USAGE: Final = 2
EXIT_INTERNAL: Final = 3


class CharterError(Exception):
    """A problem in the user's input; its message names the file and the fix."""
