"""FILE arguments as repository paths: ``./x``, absolute, from a subfolder, a folder.

A path the user typed is read the way a shell user means it: relative to the current
folder, ``./`` and ``//`` ignored, a folder standing for the files below it. A path that
names no file of the snapshot, or leaves the repository, is an error naming it (with the
closest file when there is one), never a silent "nothing to report". Run from outside
the repository (``--root``), relative paths are read from the repository root.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from pathlib import Path

from charter.hooks.errors import CharterError


def repository_paths(
    root: Path, names: Sequence[str], known: Collection[str], cwd: Path | None = None
) -> list[str]:
    """The repository-relative POSIX paths ``names`` stand for (folders expanded)."""
    here = Path.cwd() if cwd is None else cwd
    if _relative(root, root, str(here)) is None:
        here = root  # run from elsewhere with --root: paths are relative to the root
    out: list[str] = []
    problems: list[str] = []
    for name in names:
        rel = _relative(root, here, name)
        if rel is None:
            problems.append(f"{name}: outside the repository ({root})")
            continue
        if rel in known:
            out.append(rel)
            continue
        below = sorted(path for path in known if rel == "." or path.startswith(rel + "/"))
        if below:
            out.extend(below)
            continue
        import difflib  # only for the error: a clean run never needs it

        close = difflib.get_close_matches(rel, list(known), n=1, cutoff=0.8)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(f"{name}: no such file in the repository{hint}")
    if problems:
        raise CharterError("; ".join(problems))
    return list(dict.fromkeys(out))


def _relative(root: Path, here: Path, name: str) -> str | None:
    """``name`` relative to ``root`` (POSIX), or None when it lies outside."""
    absolute = os.path.normpath(os.path.join(here, name))
    for base, target in (
        (os.path.normpath(root), absolute),
        (
            os.path.realpath(root),
            os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute)),
        ),
    ):
        rel = os.path.relpath(target, base)
        if rel != ".." and not rel.startswith(".." + os.sep):
            return Path(rel).as_posix()
    return None
