"""The files of a repository, as repository-relative POSIX paths.

In a git work tree these are the tracked files plus the untracked ones git does not
ignore (what a commit could contain); elsewhere every file below the root, hidden
folders and virtual environments left out.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from charter.hooks.globs import GlobSet

_SKIP_DIRS = frozenset({"__pycache__", "node_modules", "venv", "build", "dist"})


def repository_files(root: Path, exclude: GlobSet | None = None) -> list[str]:
    """Sorted paths of the repository's files, ``exclude`` globs left out."""
    paths = _git_files(root)
    if paths is None:
        paths = _walk(root)
    if exclude:
        paths = [path for path in paths if not exclude.match(path)]
    return sorted(set(paths))


def _git_files(root: Path) -> list[str] | None:
    if not (root / ".git").exists():
        return None
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


def _walk(root: Path) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS]
        rel = Path(folder).relative_to(root)
        found.extend((rel / name).as_posix() for name in files)
    return found
