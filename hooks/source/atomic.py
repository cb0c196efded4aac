"""Every file Charter writes for itself (cache, baseline, journal), written one way.

``write_atomic`` writes a temporary file beside the target and renames it over the
target: a reader sees the old file or the new one, whole, and a symlink at the target
is replaced, never followed (a planted link cannot redirect a write). ``append_line``
appends one line with one ``write()`` under an exclusive ``flock``, so concurrent hooks
never interleave lines, and refuses to open a symlink.
"""

from __future__ import annotations

import errno
import fcntl
import os
import tempfile
from pathlib import Path

from charter.hooks.errors import CharterError


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, whole."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def append_line(path: Path, line: bytes) -> None:
    """Append ``line`` (ending in a newline) to ``path``, created when missing."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        raise CharterError(
            f"{path}: is a symbolic link; Charter does not write through one: remove it"
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
    finally:
        os.close(fd)
