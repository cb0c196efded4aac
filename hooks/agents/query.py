"""Retrieval against a repository: its decisions, its files, its settings."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from charter.hooks.agents.records import Record, load_records
from charter.hooks.agents.retrieve import Hit, rank
from charter.hooks.errors import CharterError
from charter.hooks.globs import GlobSet
from charter.hooks.settings import Settings
from charter.hooks.source.files import repository_files


def repo_path(root: Path, raw: str, cwd: Path | None = None) -> str:
    """``raw`` as a repository-relative POSIX path.

    A relative ``raw`` is relative to ``cwd`` when that lands inside the repository (as
    in a shell), else to the root (``--root elsewhere`` with repository paths).
    """
    base = cwd or Path.cwd()
    if not _inside(Path(os.path.normpath(base / raw)), root):
        base = root
    path = Path(os.path.normpath(base / raw))
    for candidate, base in ((path, root), (path.resolve(), root.resolve())):
        try:
            relative = candidate.relative_to(base).as_posix()
        except ValueError:
            continue
        relative = "" if relative == "." else relative
        return relative + "/" if raw.endswith("/") and relative else relative
    raise CharterError(f"{raw}: not inside the repository {root}; give paths inside it")


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def hits_for(
    settings: Settings,
    paths: Sequence[str],
    task: str,
    records: Sequence[Record] | None = None,
) -> list[Hit]:
    """The decisions of ``settings.root`` for repository-relative ``paths`` and ``task``."""
    if records is None:
        records = load_records(settings)
    files = []
    if paths:  # the decision records themselves are not code any constraint is about
        folder = settings.decisions.strip("/") + "/"
        files = [
            f
            for f in repository_files(settings.root, GlobSet(settings.exclude))
            if not f.startswith(folder)
        ]
    return rank(records, paths, task, files, settings.source_roots, settings.packages)
