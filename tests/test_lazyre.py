"""A pattern compiled on first use: the same ``re.Pattern``, compiled once."""

from __future__ import annotations

import re
import subprocess
import sys

from charter.hooks.lazyre import Lazy


def test_a_lazy_pattern_is_the_compiled_pattern() -> None:
    lazy = Lazy(r"^(?P<key>\w+):", re.MULTILINE)
    compiled = lazy.get()
    assert compiled is lazy.get()
    assert compiled.pattern == r"^(?P<key>\w+):" and compiled.flags & re.MULTILINE
    assert [m["key"] for m in compiled.finditer("a: 1\nb: 2\n")] == ["a", "b"]
    assert Lazy(rb"kind:\s*(\w+)").get().search(b"- kind: layers")[1] == b"layers"  # type: ignore[index]


def test_loading_the_modules_compiles_none_of_their_patterns() -> None:
    """A hook that never meets a waiver comment or a trailer never compiles their patterns."""
    code = (
        "import re\n"
        "compiled = []\n"
        "real = re._compile\n"
        "re._compile = lambda p, f: compiled.append(p) or real(p, f)\n"
        "from charter.hooks import message, waivers, settings\n"
        "from charter.hooks.source import native, modules, requirements\n"
        "from charter.hooks.governance import approvals\n"
        "print([p for p in compiled if p in {waivers.PATTERN.pattern, message._TRAILER.pattern}])\n"
        "message.parse('Subject\\n\\nCharter-Waive: ADR-1 -- why\\n')\n"
        "print(len([p for p in compiled if p == message._TRAILER.pattern]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["[]", "1"], result.stderr
