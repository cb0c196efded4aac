"""Writing a file of the repository, never through a symlink.

``charter fix`` and ``charter agents-md`` rewrite files in place. A file or folder of
the repository that is a symlink may point anywhere, at another project's file or a
system file: following it would rewrite that file. So a path with a symlink anywhere
below the root is refused with an error naming it, and the final open uses
``O_NOFOLLOW`` so a link swapped in meanwhile is refused too.
"""

from __future__ import annotations

import os
from pathlib import Path

from charter.hooks.errors import CharterError


def _refuse(rel: str) -> CharterError:
    return CharterError(
        f"{rel}: is a symlink; Charter does not write through symlinks (it could rewrite a "
        "file outside the repository): replace the link with the file itself"
    )


def check_no_symlink(root: Path, rel: str) -> Path:
    """``root / rel``, when neither it nor a folder on the way is a symlink."""
    path = root
    parts = Path(rel).parts
    for index, part in enumerate(parts):
        path = path / part
        if path.is_symlink():
            raise _refuse("/".join(parts[: index + 1]))
    return path


def write_text(root: Path, rel: str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``root / rel``, creating folders, never via a symlink."""
    path = check_no_symlink(root, rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if path.is_symlink():
            raise _refuse(rel) from None
        raise CharterError(f"{rel}: cannot write it ({exc.strerror})") from None
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
        stream.write(text)


def remove(root: Path, rel: str) -> None:
    """Delete ``root / rel`` if it exists (a symlink is refused, not unlinked)."""
    check_no_symlink(root, rel).unlink(missing_ok=True)
