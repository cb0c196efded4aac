"""The digests Charter uses: sha1 (git's blob ids, short keys), sha256 and blake2b.

``hashlib`` loads OpenSSL (``_hashlib``), the largest single import of a commit hook
(~3 ms, issue 15), while CPython also builds these three algorithms in as tiny modules
(``_sha1``, ``_sha256``, ``_blake2``) that give the same digests. Those are used when the
interpreter has them; ``hashlib`` is the fallback (a Python built without them, such as
one whose builtin hashes were left out for a FIPS build).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Protocol


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


sha1 = _constructor("sha1", "_sha1")
sha256 = _constructor("sha256", "_sha256", "_sha2")  # _sha2 from Python 3.12 on
blake2b = _constructor("blake2b", "_blake2")
