"""The ruff binary: which rule selectors it knows, and running it file by file if need be.

- ``selector_problem``: a ``select``/``ignore`` entry is checked against the rules of
  the installed ruff (``ruff rule --all``), so a typo fails ``charter validate`` with a
  did-you-mean instead of failing every ``charter check`` later;
- ``run``: one ruff run over many files; when ruff itself fails (it overflows its stack
  on a file nested 100k deep), each file is run alone, so the one it cannot check is
  named and every other file is still checked.
"""

from __future__ import annotations

import functools
import json
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def binary() -> str:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - ruff is a dependency
        return "ruff"
    return str(find_ruff_bin())


@functools.lru_cache(maxsize=1)
def known_codes() -> tuple[str, ...]:
    """Every rule code of the installed ruff (empty when ruff cannot be asked)."""
    try:
        result = subprocess.run(
            [binary(), "rule", "--all", "--output-format=json"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        rules = json.loads(result.stdout)
        return tuple(sorted(str(rule["code"]) for rule in rules))
    except (OSError, ValueError, KeyError, TypeError, subprocess.TimeoutExpired):
        return ()


def selector_problem(selector: str) -> str | None:
    """Why ruff would refuse ``selector`` (a code or a code prefix), or None."""
    codes = known_codes()
    if selector == "ALL" or not codes or any(code.startswith(selector) for code in codes):
        return None
    import difflib  # only for the error: a clean run never needs it

    close = difflib.get_close_matches(selector, codes, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"{selector!r} selects no rule of ruff {_version()}{hint}"


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("ruff")
    except metadata.PackageNotFoundError:  # pragma: no cover - ruff is a dependency
        return "(unknown version)"


@dataclass(frozen=True)
class RuffRun:
    """ruff's diagnostics for some files, and the files it could not check."""

    diagnostics: tuple[dict[str, Any], ...]
    failed: dict[str, str]  # path -> why ruff could not check it


def run(root: Path, paths: Sequence[str], select: Sequence[str], ignore: Sequence[str]) -> RuffRun:
    """Ruff's diagnostics for ``paths`` (relative to ``root``), and the files it failed on."""
    command = [
        binary(),
        "check",
        "--isolated",
        "--no-cache",
        "--no-fix",
        "--exit-zero",
        "--output-format=json",
        f"--select={','.join(select)}",
    ]
    if ignore:
        command.append(f"--ignore={','.join(ignore)}")
    whole = _once(root, command, paths)
    if isinstance(whole, list) or len(paths) < 2:
        if isinstance(whole, list):
            return RuffRun(tuple(whole), {})
        return RuffRun((), {paths[0]: whole} if paths else {})
    found: list[dict[str, Any]] = []
    failed: dict[str, str] = {}
    for path in paths:
        alone = _once(root, command, [path])
        if isinstance(alone, list):
            found.extend(alone)
        else:
            failed[path] = alone
    return RuffRun(tuple(found), failed)


def _once(root: Path, command: list[str], paths: Sequence[str]) -> list[dict[str, Any]] | str:
    """Ruff's diagnostics, or its complaint when it failed."""
    result = subprocess.run([*command, "--", *paths], cwd=root, capture_output=True, text=True)
    if result.returncode == 0:
        try:
            data = json.loads(result.stdout or "[]")
        except ValueError:
            return "ruff printed something that is not its JSON report"
        if isinstance(data, list):
            return data
        return "ruff printed something that is not its JSON report"
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else f"ruff exited with status {result.returncode}"
