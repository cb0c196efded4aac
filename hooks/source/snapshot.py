"""A snapshot of the repository's files: the working tree, the index, or a commit.

Every snapshot names its files and reads their bytes; ``content_id`` is git's blob id
(sha1 of ``blob <size>\\0<bytes>``), so the same content has the same id in the working
tree, the index and any commit, and the facts cache is shared between them.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Protocol

from charter.hooks.errors import CharterError
from charter.hooks.source.files import repository_files


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class Snapshot(Protocol):
    root: Path
    label: str

    def files(self) -> list[str]: ...

    def read(self, path: str) -> bytes | None: ...

    def content_id(self, path: str) -> str | None: ...


class WorkTree:
    """The files on disk (tracked, and untracked but not ignored)."""

    label = "working tree"

    def __init__(self, root: Path) -> None:
        self.root = root
        self._ids: dict[str, str] = {}
        self._files: list[str] | None = None

    def files(self) -> list[str]:
        if self._files is None:
            self._files = [p for p in repository_files(self.root) if (self.root / p).is_file()]
        return self._files

    def read(self, path: str) -> bytes | None:
        try:
            data = (self.root / path).read_bytes()
        except OSError:
            return None
        self._ids[path] = blob_id(data)
        return data

    def content_id(self, path: str) -> str | None:
        if path not in self._ids and self.read(path) is None:
            return None
        return self._ids[path]


class _GitObjects:
    """Blob ids of a tree-ish and a ``git cat-file --batch`` reader for their bytes."""

    def __init__(self, root: Path, ids: dict[str, str]) -> None:
        self.root = root
        self._ids = ids
        self._proc: subprocess.Popen[bytes] | None = None

    def files(self) -> list[str]:
        return sorted(self._ids)

    def content_id(self, path: str) -> str | None:
        return self._ids.get(path)

    def read(self, path: str) -> bytes | None:
        sha = self._ids.get(path)
        if sha is None:
            return None
        if self._proc is None:
            self._proc = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        stdin, stdout = self._proc.stdin, self._proc.stdout
        assert stdin is not None and stdout is not None
        stdin.write(sha.encode() + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3:
            return None
        data = _read_exactly(stdout, int(header[2]))
        stdout.read(1)  # the newline after the object
        return data

    def close(self) -> None:
        if self._proc is not None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            self._proc.wait()
            self._proc = None

    def __del__(self) -> None:
        self.close()


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks = []
    while size > 0:
        chunk = stream.read(size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _git(root: Path, *args: str) -> bytes:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True).stdout
    except FileNotFoundError:
        raise CharterError("git is not installed; Charter needs it to read snapshots") from None
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.decode("utf-8", "replace").strip()
        raise CharterError(f"git {' '.join(args)} failed: {message}") from None


def _entries(output: bytes, sha_field: int) -> Iterator[tuple[str, str]]:
    for record in output.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.partition(b"\t")
        fields = meta.split()
        if fields and fields[0] in (b"100644", b"100755"):
            yield path.decode("utf-8", "surrogateescape"), fields[sha_field].decode()


class Index(_GitObjects):
    """The staged snapshot: what the next commit will contain."""

    label = "index"

    def __init__(self, root: Path) -> None:
        output = _git(root, "ls-files", "--stage", "-z")
        super().__init__(root, dict(_entries(output, 1)))


class Commit(_GitObjects):
    """The files of a commit (``HEAD``, a branch, a sha)."""

    def __init__(self, root: Path, rev: str) -> None:
        self.label = rev
        output = _git(root, "ls-tree", "-r", "-z", "--full-tree", rev)
        super().__init__(root, dict(_entries(output, 2)))


def head_exists(root: Path) -> bool:
    result = subprocess.run(
        ["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root, capture_output=True
    )
    return result.returncode == 0


class Overlay:
    """A snapshot with some files replaced, added or deleted in memory (None: deleted).

    What a proposed change (an agent's edit, a patch) would make of ``base``, checked
    without writing anything to disk.
    """

    def __init__(
        self, base: Snapshot, changes: Mapping[str, bytes | None], label: str = "proposed change"
    ) -> None:
        self.root = base.root
        self.label = label
        self._base = base
        self._changes = dict(changes)

    def files(self) -> list[str]:
        present = {path for path, data in self._changes.items() if data is not None}
        deleted = {path for path, data in self._changes.items() if data is None}
        return sorted((set(self._base.files()) | present) - deleted)

    def read(self, path: str) -> bytes | None:
        if path in self._changes:
            return self._changes[path]
        return self._base.read(path)

    def content_id(self, path: str) -> str | None:
        if path in self._changes:
            data = self._changes[path]
            return None if data is None else blob_id(data)
        return self._base.content_id(path)
