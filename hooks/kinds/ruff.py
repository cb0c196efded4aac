"""ruff: the real ruff, run with the decision's rules on the files in scope.

Ruff runs ``--isolated`` (the project's own ruff configuration does not add or remove
rules here) with ``--select``/``--ignore`` from the constraint; each diagnostic is a
finding of the decision, keyed by its rule code. Files of a git snapshot (the index, a
commit) are written to a temporary folder first, so ruff sees exactly their content.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from charter.hooks.context import finding
from charter.hooks.errors import CharterError
from charter.hooks.source.snapshot import WorkTree

if TYPE_CHECKING:
    from charter.hooks.context import Context
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import Ruff
    from charter.hooks.findings import Finding


def _ruff() -> str:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - ruff is a dependency
        return "ruff"
    return str(find_ruff_bin())


def _run(root: Path, paths: list[str], constraint: Ruff) -> list[dict[str, Any]]:
    command = [
        _ruff(),
        "check",
        "--isolated",
        "--no-cache",
        "--no-fix",
        "--exit-zero",
        "--output-format=json",
        f"--select={','.join(constraint.select)}",
    ]
    if constraint.ignore:
        command.append(f"--ignore={','.join(constraint.ignore)}")
    result = subprocess.run([*command, "--", *paths], cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        raise CharterError(f"ruff failed: {result.stderr.strip()}")
    data: list[dict[str, Any]] = json.loads(result.stdout or "[]")
    return data


def check(active: ActiveConstraint, context: Context) -> Iterator[Finding]:
    constraint: Ruff = active.constraint
    paths = [p for p in context.in_scope(active) if p.endswith((".py", ".pyi"))]
    if not paths:
        return
    if isinstance(context.snapshot, WorkTree):
        root = context.snapshot.root.resolve()
        diagnostics = _run(root, paths, constraint)
    else:
        with tempfile.TemporaryDirectory(prefix="charter-ruff-") as folder:
            root = Path(folder).resolve()
            written = []
            for path in paths:
                data = context.snapshot.read(path)
                if data is None:
                    continue
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                (root / path).write_bytes(data)
                written.append(path)
            diagnostics = _run(root, written, constraint)
    for item in diagnostics:
        path = Path(item["filename"]).resolve().relative_to(root).as_posix()
        location = item.get("location") or {}
        code = item.get("code") or "syntax-error"
        message = f"{code} {item.get('message', '')}".strip()
        yield finding(
            active, path, location.get("row", 0), location.get("column", 0), message, code
        )
