"""The digests Charter uses come from CPython's builtin modules, the same as hashlib's."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from charter.hooks import digests

DATA = (b"", b"blob 3\0abc", bytes(range(256)) * 300)


@pytest.mark.parametrize("data", DATA)
def test_each_digest_is_hashlibs(data: bytes) -> None:
    assert digests.sha1(data).hexdigest() == hashlib.sha1(data).hexdigest()
    assert digests.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    for size in (16, 20, 64):
        mine = digests.blake2b(data, digest_size=size).hexdigest()
        assert mine == hashlib.blake2b(data, digest_size=size).hexdigest()


def test_a_digest_takes_more_bytes_as_hashlibs_does() -> None:
    mine, theirs = digests.sha256(b"a"), hashlib.sha256(b"a")
    for part in DATA:
        mine.update(part)
        theirs.update(part)
    assert mine.hexdigest() == theirs.hexdigest()


def test_without_the_builtin_module_hashlib_gives_the_digest() -> None:
    sha1 = digests._constructor("sha1", "_no_such_builtin")
    assert sha1 is hashlib.sha1
    assert sha1(b"abc").hexdigest() == "a9993e364706816aba3e25717850c26c9cd0d89d"


def test_a_few_small_digests_do_not_load_openssl_and_many_bytes_do() -> None:
    """OpenSSL is imported once the builtin sha1 has hashed ``BUILTIN_BYTES``: a clean
    hook never pays for its import, a large commit's blobs are hashed at its speed."""
    code = (
        "import sys\n"
        "from charter.hooks import digests\n"
        "small = [digests.sha1(b'blob %d' % i).hexdigest() for i in range(100)]\n"
        "small.append(digests.sha256(b'x' * 1000).hexdigest())\n"
        "print('_hashlib' in sys.modules)\n"
        "big = b'y' * digests.BUILTIN_BYTES\n"
        "large = [digests.sha1(big).hexdigest(), digests.sha1(b'after').hexdigest()]\n"
        "print('_hashlib' in sys.modules)\n"
        "import hashlib\n"
        "expected = [hashlib.sha1(b'blob %d' % i).hexdigest() for i in range(100)]\n"
        "expected.append(hashlib.sha256(b'x' * 1000).hexdigest())\n"
        "print(small == expected)\n"
        "print(large == [hashlib.sha1(big).hexdigest(), hashlib.sha1(b'after').hexdigest()])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True", "True", "True"], result.stderr
