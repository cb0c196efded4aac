"""``charter sim image build``: the docker sandbox's image, built without any network.

The base image is a local one with ``python3`` (with ``venv``) and ``git`` — the default
``python:3.12-slim`` for users with a registry, or one made offline (README 'Docker
sandbox' shows ``debootstrap`` + ``docker import``). The host builds Charter's wheel from
its source tree and downloads the wheels of its dependencies and pre-commit for the base
image's Python version and platform (the host's installed versions, so the sandbox runs
what the local sandbox runs); the image installs them with ``pip --no-index`` in a build
that has no network. The image is tagged ``charter-sim:<hash of its inputs>`` (the
wheels' contents, the base image's id, the Dockerfile): unchanged inputs reuse it.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from charter.hooks.errors import CharterError
from charter.simulator.sandbox.docker import DEFAULT_IMAGE, ROOT, UID

REPOSITORY = "charter-sim"
DEFAULT_BASE = "python:3.12-slim"
IMAGE_LABEL = "charter.sim.image"

DOCKERFILE = f"""\
FROM {{base}}
COPY wheels/ /tmp/charter-wheels/
RUN python3 -m venv /opt/charter \\
 && /opt/charter/bin/python -m pip install --no-index --disable-pip-version-check -q \\
      --find-links /tmp/charter-wheels charter pre-commit \\
 && rm -rf /tmp/charter-wheels \\
 && (grep -q '^[^:]*:[^:]*:{UID}:' /etc/passwd \\
     || echo 'sim:x:{UID}:{UID}:charter sim:{ROOT}/home:/bin/sh' >> /etc/passwd) \\
 && (grep -q '^[^:]*:[^:]*:{UID}:' /etc/group || echo 'sim:x:{UID}:' >> /etc/group) \\
 && mkdir -p {ROOT} && chown {UID}:{UID} {ROOT}
ENV PATH=/opt/charter/bin:/usr/local/bin:/usr/bin:/bin PYTHONDONTWRITEBYTECODE=1
USER {UID}:{UID}
WORKDIR {ROOT}
"""

PROBE = (
    "import json, platform, sys, venv, ensurepip; "
    "print(json.dumps([list(sys.version_info[:2]), platform.libc_ver(), platform.machine()]))"
)


@dataclass(frozen=True)
class Built:
    tag: str
    also: str | None
    reused: bool
    seconds: float


def _log(message: str) -> None:
    del message


def source_tree() -> Path:
    """Charter's source tree (the one this charter runs from)."""
    import charter.hooks

    root = Path(charter.hooks.__file__).resolve().parents[1]
    pyproject = root / "pyproject.toml"
    if not pyproject.is_file() or 'name = "charter"' not in pyproject.read_text("utf-8"):
        raise CharterError(
            f"charter sim image build needs Charter's source tree; {root} is not one "
            "(pass --source DIR, a checkout of Charter)"
        )
    return root


def probe(client: Any, base: str) -> tuple[str, tuple[int, int], str]:
    """The base image's Python version, glibc version and machine (it is run once)."""
    import docker.errors

    try:
        client.images.get(base)
    except docker.errors.ImageNotFound:
        raise CharterError(
            f"--base-image {base}: not on this Docker engine; pull it (docker pull {base}) "
            "or make one offline (README 'Docker sandbox')"
        ) from None
    try:
        raw = client.containers.run(
            base,
            ["sh", "-c", f"git --version >/dev/null && python3 -c '{PROBE}'"],
            network_mode="none",
            remove=True,
        )
        (major, minor), (libc, libc_version), machine = json.loads(raw.decode())
    except Exception as exc:
        raise CharterError(
            f"--base-image {base}: needs python3 (with venv) and git on PATH ({exc})"
        ) from None
    if libc != "glibc":
        raise CharterError(f"--base-image {base}: needs a glibc-based image, not {libc!r}")
    glibc = tuple(int(x) for x in libc_version.split(".")[:2])
    return f"{major}.{minor}", (glibc[0], glibc[1]), str(machine)


def requirements(source: Path) -> list[str]:
    """Charter's runtime dependencies and pre-commit, pinned to the host's versions."""
    from charter.hooks import tomlfile

    project = tomlfile.read(source / "pyproject.toml")["project"]
    pinned = []
    for requirement in [*project["dependencies"], "pre-commit"]:
        if ";" in requirement:  # a marker: the target's Python decides
            pinned.append(requirement)
            continue
        name = re.split(r"[^A-Za-z0-9._-]", requirement, maxsplit=1)[0]
        try:
            pinned.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pinned.append(requirement)
    return pinned


def _pip(args: list[str], what: str) -> None:
    command = [sys.executable, "-m", "pip", *args, "--disable-pip-version-check", "-q"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise CharterError(f"{what} failed: {(result.stderr or result.stdout).strip()[-1500:]}")


def wheels(source: Path, dest: Path, python: str, glibc: tuple[int, int], machine: str) -> None:
    """Charter's wheel (built from ``source``) and its dependencies' for the image."""
    with tempfile.TemporaryDirectory(prefix="charter-src-") as tmp:
        copy = Path(tmp) / "charter"
        shutil.copytree(
            source,
            copy,
            ignore=shutil.ignore_patterns(
                ".git",
                ".venv*",
                "build",
                "dist",
                "*.egg-info",
                "__pycache__",
                ".*_cache",
                "sim-results",
                "node_modules",
            ),
        )
        _pip(
            ["wheel", "--no-deps", "--wheel-dir", str(dest), str(copy)], "building Charter's wheel"
        )
    platforms = [f"manylinux_2_{minor}_{machine}" for minor in range(17, glibc[1] + 1)]
    platforms += [f"manylinux2014_{machine}", f"linux_{machine}"] if glibc[0] == 2 else []
    args = ["download", "--dest", str(dest), "--only-binary=:all:", "--python-version", python]
    args += ["--implementation", "cp"]
    for platform_tag in platforms:
        args += ["--platform", platform_tag]
    _pip([*args, *requirements(source)], f"downloading wheels for Python {python} ({machine})")


def inputs_hash(wheel_dir: Path, base_id: str, dockerfile: str) -> str:
    """A hash of the wheels' contents (not their zip timestamps), the base and Dockerfile."""
    sha = hashlib.sha256()
    sha.update(base_id.encode() + b"\0" + dockerfile.encode() + b"\0")
    for wheel in sorted(wheel_dir.glob("*.whl")):
        sha.update(wheel.name.encode() + b"\0")
        with zipfile.ZipFile(wheel) as archive:
            for name in sorted(archive.namelist()):
                sha.update(name.encode() + b"\0" + archive.read(name) + b"\0")
    return sha.hexdigest()[:16]


def build(
    client: Any,
    base: str = DEFAULT_BASE,
    also: str | None = DEFAULT_IMAGE,
    source: Path | None = None,
    log: Callable[[str], None] = _log,
) -> Built:
    """Build (or reuse) the sandbox image from ``base``; also tag it ``also``."""
    import docker.errors

    started = time.perf_counter()
    python, glibc, machine = probe(client, base)
    log(f"base image {base}: Python {python}, glibc {glibc[0]}.{glibc[1]}, {machine}")
    base_id = client.images.get(base).id
    dockerfile = DOCKERFILE.format(base=base)
    with tempfile.TemporaryDirectory(prefix="charter-image-") as tmp:
        context = Path(tmp)
        wheel_dir = context / "wheels"
        wheel_dir.mkdir()
        wheels(source or source_tree(), wheel_dir, python, glibc, machine)
        log(f"wheels: {len(list(wheel_dir.glob('*.whl')))} for Python {python}")
        tag = f"{REPOSITORY}:{inputs_hash(wheel_dir, base_id, dockerfile)}"
        try:
            image = client.images.get(tag)
            reused = True
        except docker.errors.ImageNotFound:
            (context / "Dockerfile").write_text(dockerfile, encoding="utf-8")
            log(f"building {tag} (no network)")
            try:
                image, _ = client.images.build(
                    path=str(context),
                    tag=tag,
                    rm=True,
                    forcerm=True,
                    network_mode="none",
                    labels={IMAGE_LABEL: "1", "charter.sim.base": base},
                )
            except docker.errors.BuildError as exc:
                lines = [str(c.get("stream") or c.get("error") or "") for c in exc.build_log]
                tail = "".join(lines).strip()[-1500:]
                raise CharterError(f"building the sandbox image failed: {exc}\n{tail}") from None
            reused = False
    if also:
        repository, _, name = also.rpartition(":") if ":" in also else (also, "", "latest")
        image.tag(repository, name)
    return Built(tag, also, reused, time.perf_counter() - started)
