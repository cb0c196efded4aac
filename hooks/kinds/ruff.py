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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from charter.hooks.errors import CharterError
from charter.hooks.kinds.kind import Fields, Kind, Reads, Strictness, finding, join
from charter.hooks.source.snapshot import WorkTree

if TYPE_CHECKING:
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.decisions.model import ConstraintBase
    from charter.hooks.findings import Finding
    from charter.hooks.view import SnapshotView


def _ruff() -> str:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - ruff is a dependency
        return "ruff"
    return str(find_ruff_bin())


def _run(root: Path, paths: list[str], constraint: Any) -> list[dict[str, Any]]:
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


def check(active: ActiveConstraint, view: SnapshotView, paths: Sequence[str]) -> Iterator[Finding]:
    constraint = active.constraint
    if not paths:
        return
    if isinstance(view.snapshot, WorkTree):
        root = view.snapshot.root.resolve()
        diagnostics = _run(root, list(paths), constraint)
    else:
        with tempfile.TemporaryDirectory(prefix="charter-ruff-") as folder:
            root = Path(folder).resolve()
            written = []
            for path in paths:
                data = view.snapshot.read(path)
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


def instruction(f: Fields) -> str:
    text = f"Keep the code clean of ruff rules {join(f.get('select'), 'and')}"
    if f.get("ignore"):
        text += f" (except {join(f['ignore'], 'and')})"
    return text


def _model() -> type[ConstraintBase]:
    from charter.hooks.decisions.model import Ruff

    return Ruff


KIND = Kind(
    name="ruff",
    model=_model,
    reads=Reads.PYTHON_SOURCE,
    check=check,
    strictness={"select": Strictness.KEEPS, "ignore": Strictness.NO_NEW},
    instruction=instruction,
    tool="ruff",
)
