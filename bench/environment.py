"""The environment the bench times: Charter installed as pre-commit installs a hook.

pre-commit gives a hook's repository a virtualenv of its own and ``pip install``s the
repository into it, not editable. A development environment (``make install``) is
editable: its ``.pth`` loads an import finder, and with it ``pathlib``, in every process
the environment starts (~10-15 ms each, Charter's and import-linter's alike), which no
user pays. So ``run.py`` re-runs itself in ``bench/.cache/venv``: Charter built from
this checkout and installed as a wheel, beside the versions of its dependencies,
import-linter, ruff and pre-commit that the environment running ``run.py`` holds
(``pip freeze`` as constraints; pip's cache makes later runs quick). The checkout is
reinstalled on every run, so the bench always times the code beside it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV = BENCH / ".cache" / "venv"
PYTHON = VENV / "bin" / "python"
TOOLS = ("import-linter", "ruff", "pre-commit")  # the peers and the commit row's runner


def inside() -> bool:
    """Whether this Python is the bench's environment."""
    return Path(sys.prefix).resolve() == VENV.resolve()


def reexec() -> None:
    """Run this script again in the bench's environment, made or refreshed first."""
    ensure()
    os.execv(PYTHON, [str(PYTHON), *sys.argv])


def ensure() -> Path:
    """The environment's Python, with this checkout installed (not editable)."""
    if not _made_here():
        print("bench: making bench/.cache/venv (once; Charter as pre-commit installs it)")
        _pip_run([sys.executable, "-m", "venv", "--clear", str(VENV)])
        constraints = VENV / "constraints.txt"
        frozen = subprocess.run(
            [sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        constraints.write_text(frozen, encoding="utf-8")
        _pip_run([str(PYTHON), "-m", "pip", "install", "-q", "-c", str(constraints),
                  f"{ROOT}[native]", *TOOLS])  # fmt: skip
    else:
        _pip_run([str(PYTHON), "-m", "pip", "install", "-q", "--no-deps",
                  "--force-reinstall", str(ROOT)])  # fmt: skip
    return PYTHON


def _made_here() -> bool:
    """Whether the environment exists and was made at this path (a copied ``bench/.cache``
    holds one whose scripts run another folder's Python)."""
    script = VENV / "bin" / "charter"
    try:
        first = script.read_text(encoding="utf-8").splitlines()[0]
    except (OSError, IndexError):
        return False
    return first == f"#!{PYTHON}"


def _pip_run(cmd: list[str]) -> None:
    env = {**os.environ}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({result.returncode}):\n{result.stderr}")
