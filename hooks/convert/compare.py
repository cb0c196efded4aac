"""Prove a conversion: run the source tool and Charter on the repository, compare verdicts.

Each contract is kept or broken in each tool. import-linter's ``lint-imports`` prints
``<contract name> KEPT|BROKEN``; Charter's verdict on a contract is broken when its
constraint has a blocking finding. A tool that stops on an error (a module that does
not exist) gives the verdict ``error`` to every contract.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from charter.hooks.convert.records import Conversion
from charter.hooks.errors import CharterError
from charter.hooks.settings import Settings

KEPT, BROKEN, ERROR = "kept", "broken", "error"
TIMEOUT = 600  # seconds for lint-imports on a large repository


@dataclass(frozen=True)
class Compared:
    key: str
    name: str
    theirs: str  # kept, broken or error
    ours: str

    @property
    def agrees(self) -> bool:
        """Both pass, or both fail: a contract a tool cannot check (error) fails too."""
        return (self.theirs == KEPT) == (self.ours == KEPT)


@dataclass(frozen=True)
class Comparison:
    rows: tuple[Compared, ...]
    their_output: str  # the source tool's report, for a disagreement
    our_findings: tuple[str, ...]  # Charter's findings, one line each

    @property
    def agreed(self) -> int:
        return sum(row.agrees for row in self.rows)


def lint_imports() -> str | None:
    """The ``lint-imports`` command, when import-linter is installed."""
    beside = Path(sys.executable).parent / "lint-imports"
    return shutil.which("lint-imports") or (str(beside) if beside.exists() else None)


def run_lint_imports(
    command: str, config: Path, root: Path, source_roots: Sequence[str], names: Sequence[str]
) -> tuple[dict[str, str], str]:
    """Each contract name's verdict in ``lint-imports``, and its report."""
    paths = [str((root / folder).resolve()) for folder in source_roots]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([*paths, os.environ.get("PYTHONPATH", "")])}
    try:
        result = subprocess.run(
            [command, "--config", str(config), "--no-cache", "--no-logo"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CharterError(f"could not run lint-imports: {exc}") from None
    report = result.stdout + result.stderr
    verdicts = {}
    for name in names:
        found = re.search(rf"^{re.escape(name)} (KEPT|BROKEN)\b", report, re.MULTILINE)
        verdicts[name] = ERROR if found is None else found[1].lower()
    return verdicts, report


def run_charter(settings: Settings, ids: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Each contract key's verdict in Charter (``ids``: key -> constraint id)."""
    from charter.hooks.decisions.compile import load_active
    from charter.hooks.source.cache import Cache
    from charter.hooks.source.snapshot import WorkTree
    from charter.hooks.verdict import judge_snapshot

    try:
        active = load_active(settings, use_cache=False)
        verdict = judge_snapshot(WorkTree(settings.root), None, active, settings, Cache(None))
    except CharterError as exc:
        return {key: ERROR for key in ids}, [str(exc)]
    blocking = {f.constraint for f in verdict.reported if f.severity == "error"}
    lines = [f"{f.path}:{f.line}: {f.constraint} {f.message}" for f in verdict.reported]
    return {key: BROKEN if cid in blocking else KEPT for key, cid in ids.items()}, lines


def compare_importlinter(
    conversion: Conversion, config: Path, settings: Settings, decision_id: str, command: str
) -> Comparison:
    contracts = conversion.expressed
    theirs, report = run_lint_imports(
        command, config, settings.root, settings.source_roots, [c.name for c in contracts]
    )
    ours, findings = run_charter(settings, conversion.constraint_ids(decision_id))
    rows = tuple(Compared(c.key, c.name, theirs[c.name], ours[c.key]) for c in contracts)
    return Comparison(rows, report, tuple(findings))
