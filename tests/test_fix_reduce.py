"""A banned-name fix shows LibCST only the statements it touches, with the same result.

``fixes/reduce.py`` hands the codemod the imports and the top-level statements holding
a finding; the rest comes back verbatim. Each case here is fixed both ways (reduced and
whole file) and must come out byte for byte the same.
"""

from __future__ import annotations

import libcst
import pytest

from charter.hooks.fixes import Fixed, Plan, fix_source

PLAN = Plan(names={"datetime.datetime.now": "app.clock.now"})

FILLER = "".join(
    f"\n\n@decorator({i})\ndef f{i}(value):\n    # comment {i}\n    return value * {i}\n"
    for i in range(80)
)

CASES = {
    "still-used-elsewhere": (
        '"""A module."""\n\nimport datetime\n\nSTART = datetime.date(2026, 1, 1)\n'
        + FILLER
        + "\n\ndef stamp():\n    return datetime.datetime.now()\n"
    ),
    "unused-after-the-fix": (
        "import datetime\nimport os\n"
        + FILLER
        + "\n\nclass K:\n    def stamp(self):\n        return datetime.datetime.now()\n"
        + "\n\nPATH = os.sep\n"
    ),
    "local-import-and-alias": (
        "from json import dumps\n"
        + FILLER
        + "\n\ndef stamp():\n    import datetime as dt\n\n    return dumps(dt.datetime.now())\n"
        + "x = 1; y = 2\n"
    ),
    "no-newline-at-the-end": ("import datetime\n" + FILLER + "\nNOW = datetime.datetime.now()"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_reduced_fix_equals_the_whole_file_fix(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = CASES[name]
    lines = [n for n, line in enumerate(text.splitlines(), 1) if "datetime.now" in line]
    seen: list[int] = []  # the characters of each text LibCST parsed
    parse_module = libcst.parse_module

    def counted(source: str) -> libcst.Module:
        seen.append(len(source))
        return parse_module(source)

    monkeypatch.setattr(libcst, "parse_module", counted)
    reduced = fix_source("app/m.py", text, "app.m", PLAN, lines)
    reduced_seen, seen[:] = sum(seen), []
    whole = fix_source("app/m.py", text, "app.m", PLAN)
    assert isinstance(whole, Fixed) and "now()" in whole.after
    assert reduced == whole
    # The point of it: LibCST saw a fraction of the file (counted, not timed).
    assert 0 < reduced_seen < sum(seen) == len(text)
