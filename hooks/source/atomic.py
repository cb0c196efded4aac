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
from pathlib import Path

from charter.hooks.errors import CharterError


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, whole."""
    # A name of its own (O_EXCL: never another's file, never through a link), without
    # importing tempfile, which a commit hook would pay for on every commit.
    for _ in range(100):
        temporary = path.parent / f".{path.name}-{os.getpid()}-{os.urandom(6).hex()}.tmp"
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - 100 random names taken
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
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
