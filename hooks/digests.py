"""The digests Charter uses: sha1 (git's blob ids, short keys), sha256 and blake2b.

``hashlib`` loads OpenSSL (``_hashlib``), the largest single import of a commit hook
(~3 ms, issue 15), while CPython also builds these algorithms in as small modules
(``_sha1``, ``_sha256``, ``_blake2``) that give the same digests. hashlib's blake2b is
``_blake2``'s own, so it is always used. The builtin sha1 and sha256 are portable C,
~8x slower than OpenSSL's (~9.7 against ~1.2 ms a megabyte on the bench's machine):
they hash a process's first ``BUILTIN_BYTES`` (a clean hook hashes a few files and
keys), and OpenSSL's, imported then, hashes the rest (a large commit's blobs), so the
import is paid only where it costs less than the slower hashing. ``hashlib`` is also the
fallback when the interpreter lacks a builtin module (a build that left them out).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol

# Bytes hashed by a builtin sha1/sha256 before OpenSSL's takes over: importing hashlib
# (~3.1 ms) costs what the builtin loses (~8.5 ms a megabyte) on ~370 KB, so the switch
# at that point never costs more than twice the better of the two.
BUILTIN_BYTES = 384 * 1024


class Digest(Protocol):
    def update(self, data: bytes, /) -> None: ...

    def hexdigest(self) -> str: ...


def _constructor(name: str, *builtins: str) -> Callable[..., Digest]:
    """``name`` from the first of the builtin modules the interpreter has, else hashlib's."""
    for module in builtins:
        try:
            found: Callable[..., Digest] = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
        return found
    import hashlib

    fallback: Callable[..., Digest] = getattr(hashlib, name)
    return fallback


class _Budgeted:
    """A constructor that hashes with the builtin module while the process's budget of
    bytes lasts, then with hashlib's (OpenSSL). Either gives the same digest; a race
    between two threads only moves where the switch happens."""

    def __init__(self, name: str, *builtins: str) -> None:
        self.name = name
        self._builtin = _constructor(name, *builtins)
        self._left = BUILTIN_BYTES

    def __call__(self, data: bytes = b"") -> Digest:
        if len(data) <= self._left:
            self._left -= len(data)
            return self._builtin(data)
        self._left = 0  # from now on, OpenSSL's
        import hashlib

        found: Digest = getattr(hashlib, self.name)(data)
        return found


sha1 = _Budgeted("sha1", "_sha1")
sha256 = _Budgeted("sha256", "_sha256", "_sha2")  # _sha2 from Python 3.12 on
blake2b = _constructor("blake2b", "_blake2")
