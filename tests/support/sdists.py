"""Public projects' source distributions, as test data: downloaded once, then cached.

``sdist(name, version)`` runs ``pip download --no-binary NAME --no-deps`` (PyPI is
reachable in CI) into a cache folder shared by test runs and xdist workers
(``CHARTER_TEST_CACHE``, default ``~/.cache/charter-tests``), unpacks it there, and
returns the unpacked folder. Nothing of it is committed; ``copy_project`` makes a
throwaway git repository of (part of) it for one test.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

CACHE = Path(os.environ.get("CHARTER_TEST_CACHE") or Path.home() / ".cache" / "charter-tests")


def sdist(name: str, version: str) -> Path:
    """The unpacked sdist of ``name==version`` (downloaded on first use)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    folder = CACHE / f"{name}-{version}"
    with (CACHE / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one xdist worker downloads, the others wait
        if not (folder / ".complete").exists():
            _download(name, version, folder)
    return folder


def _download(name: str, version: str, folder: Path) -> None:
    downloads = CACHE / "downloads"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            f"{name}=={version}",
            "--no-binary",
            name,  # the sdist itself; its build backend may come as a wheel
            "--no-deps",
            "-q",
            "-d",
            str(downloads),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    archives = sorted(downloads.glob(f"{name.replace('-', '_')}-{version}.tar.gz")) + sorted(
        downloads.glob(f"{name}-{version}.tar.gz")
    )
    assert archives, f"pip download {name}=={version} failed:\n{result.stdout}{result.stderr}"
    shutil.rmtree(folder, ignore_errors=True)
    unpacked = CACHE / f".unpack-{name}"
    shutil.rmtree(unpacked, ignore_errors=True)
    with tarfile.open(archives[0]) as archive:
        archive.extractall(unpacked, filter="data")
    (top,) = unpacked.iterdir()
    top.rename(folder)
    unpacked.rmdir()
    (folder / ".complete").touch()


def copy_project(source: Path, target: Path) -> Path:
    """A git repository at ``target`` holding a copy of ``source`` (one commit)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", ".complete"))
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "sdist"]):
        subprocess.run(["git", *args], cwd=target, check=True, env=env, capture_output=True)
    return target
