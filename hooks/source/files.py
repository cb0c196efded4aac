"""The files of a repository, as repository-relative POSIX paths.

In a git work tree these are the tracked files plus the untracked ones git does not
ignore (what a commit could contain); elsewhere every file below the root, hidden
folders and virtual environments left out.
"""

from __future__ import annotations

import os
from pathlib import Path

from charter.hooks.globs import GlobSet
from charter.hooks.source import git

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
    if not git.is_repository(root):
        return None
    output = git.optional(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    return None if output is None else git.null_separated(output)


def _walk(root: Path) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS]
        rel = Path(folder).relative_to(root)
        found.extend((rel / name).as_posix() for name in files)
    return found
