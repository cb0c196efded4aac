"""A scenario as bytes, named by its content digest: what remote workers receive.

Workers of a distributed run share no file system with the client: each unit carries its
scenario as a tar archive (the scenario folder: ``scenario.yaml``, the base repository or
bundle, the decision sets and the patches), and a worker unpacks it once per digest into
a cache folder of its own. The digest is the one ``--resume`` keys runs by, so a worker
checks what it unpacked against it before it runs anything.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

from charter.hooks.errors import CharterError

#: Where workers keep unpacked scenarios (one folder per digest).
CACHE = "charter-sim-scenarios"


def digest(folder: Path) -> str:
    """A hash of every file of a scenario folder (an edited scenario is run again)."""
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(path.relative_to(folder).as_posix().encode() + b"\0")
        sha.update(path.read_bytes() + b"\0")
    return sha.hexdigest()[:20]


def pack(folder: Path) -> bytes:
    """The scenario folder as an uncompressed tar (sorted, without owners or times)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(folder.rglob("*")):
            info = tar.gettarinfo(str(path), arcname=path.relative_to(folder).as_posix())
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = 0
            if info.isfile():
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
            else:
                tar.addfile(info)
    return buf.getvalue()


def unpack(payload: bytes, expected: str, cache: Path | None = None) -> Path:
    """The folder holding ``payload`` unpacked (reused when already there for
    ``expected``); an archive whose content does not hash to ``expected`` is refused."""
    root = cache or Path(tempfile.gettempdir()) / CACHE
    target = root / expected
    if target.is_dir():
        return target
    root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=root, prefix=f".{expected}-"))
    try:
        try:
            _extract(payload, scratch)
        except tarfile.TarError as exc:
            raise CharterError(f"scenario archive {expected}: refused ({exc})") from None
        found = digest(scratch)
        if found != expected:
            raise CharterError(
                f"scenario archive: content digest {found}, expected {expected} "
                "(corrupted in transfer); run again"
            )
        try:
            os.rename(scratch, target)
        except OSError:  # another task of this worker unpacked it first
            if not target.is_dir():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def _extract(payload: bytes, into: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(payload)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, filter="data")
            return
        for member in tar.getmembers():  # Python without PEP 706: check by hand
            name = Path(member.name)
            if name.is_absolute() or ".." in name.parts or member.isdev() or member.issym():
                raise tarfile.TarError(f"unsafe member {member.name!r}")
        tar.extractall(into)
