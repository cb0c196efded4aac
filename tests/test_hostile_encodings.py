"""No evasion by encoding or size: files decode as Python and editors read them.

Unit cases of ``source/text.py`` (what the engine turns into ``unreadable`` findings)
and of ``source/rufftool.py`` (ruff's selectors, a file ruff itself cannot check).
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.hostile import BOUNDED, FUZZ_BOUNDED

from charter.hooks.source import rufftool
from charter.hooks.source.text import MAX_BYTES, Unreadable, decode, lacks

pytestmark = BOUNDED


@pytest.mark.parametrize(
    ("encoding", "cookie"),
    [
        ("latin-1", "# -*- coding: latin-1 -*-"),
        ("cp1252", "# coding: cp1252"),
        ("iso-8859-15", "# vim: set fileencoding=iso-8859-15 :"),
        ("utf-8", "# coding: utf-8"),
        ("shift_jis", "# coding: shift_jis"),
        ("koi8-r", "#!/usr/bin/env python\n# coding=koi8-r"),
    ],
)
def test_python_files_decode_by_their_pep263_cookie(encoding: str, cookie: str) -> None:
    text = f"{cookie}\nimport os\nname = 'Ä' if False else 'ok'\n"
    if encoding in ("shift_jis", "koi8-r"):
        text = text.replace("Ä", "ж")
    assert decode("app/x.py", text.encode(encoding)) == text


def test_a_utf8_bom_is_dropped() -> None:
    assert decode("app/x.py", codecs.BOM_UTF8 + b"import os\n") == "import os\n"
    assert decode("conf.yaml", codecs.BOM_UTF8 + b"a: 1\n") == "a: 1\n"


@pytest.mark.parametrize(
    ("path", "data", "reason"),
    [
        ("x.py", b"x = '\xff'\n", "not valid utf-8 on line 1"),
        ("x.py", b"a = 1\nb = 2\nx = '\xe9'\n", "not valid utf-8 on line 3"),
        ("x.py", b"# coding: ascii\nx = '\xe9'\n", "not valid ascii on line 2"),
        ("x.py", b"# coding: klingon\n", "its encoding declaration cannot be used"),
        ("x.py", codecs.BOM_UTF8 + b"# coding: latin-1\n", "its encoding declaration cannot"),
        ("x.py", b"import os\0\n", "a binary file (it holds NUL bytes)"),
        ("x.pyi", b"\0", "a binary file"),
        ("logo.png", b"\x89PNG\0\0", "a binary file"),
        ("x.py", b"#" * (MAX_BYTES + 1), "larger than 1,000,000 bytes (1,000,001)"),
        ("data.sql", b"-" * (MAX_BYTES + 1), "larger than 1,000,000 bytes"),
    ],
)
def test_what_cannot_be_read_says_why(path: str, data: bytes, reason: str) -> None:
    found = decode(path, data)
    assert isinstance(found, Unreadable)
    assert found.reason.startswith(reason)


def test_an_image_is_binary_but_only_worth_a_note() -> None:
    found = decode("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0")
    assert isinstance(found, Unreadable) and not found.finding
    assert isinstance(decode("x.py", b"\0"), Unreadable) and decode("x.py", b"\0").finding  # type: ignore[union-attr]


def test_a_nul_byte_does_not_hide_a_text_file() -> None:
    assert decode("q.yaml", b"sql: SELECT * FROM t\0\n") == "sql: SELECT * FROM t\0\n"


def test_a_nul_after_the_first_8_kib_is_not_binary() -> None:
    data = b"x = 1\n" * 2000 + b"\0"
    assert not isinstance(decode("data.txt", data), Unreadable)


def test_non_utf8_text_files_are_read_with_replacements() -> None:
    assert decode("q.yaml", b"sql: SELECT * -- caf\xe9\n") == "sql: SELECT * -- caf\ufffd\n"


def test_the_size_limit_is_configurable() -> None:
    assert isinstance(decode("x.py", b"x = 1\n", max_bytes=3), Unreadable)
    assert decode("x.py", b"x = 1\n", max_bytes=6) == "x = 1\n"


@FUZZ_BOUNDED
@settings(max_examples=300, deadline=None)
@given(path=st.sampled_from(["a.py", "a.pyi", "a.txt", "a.yaml"]), data=st.binary(max_size=200))
def test_any_bytes_decode_or_say_why(path: str, data: bytes) -> None:
    found = decode(path, data)
    assert isinstance(found, str) or found.reason


# -- ruff ---------------------------------------------------------------------------------


@pytest.mark.parametrize("selector", ["ALL", "E", "E4", "E401", "F401", "ASYNC100", "PL", "I"])
def test_selectors_ruff_knows_are_accepted(selector: str) -> None:
    assert rufftool.selector_problem(selector) is None


@pytest.mark.parametrize(
    ("selector", "message"),
    [
        ("XYZ", "'XYZ' selects no rule of ruff"),
        ("E9999", "'E9999' selects no rule of ruff"),
        ("F40l", "'F40l' selects no rule of ruff"),
        ("f401", "'f401' selects no rule of ruff"),
    ],
)
def test_selectors_ruff_does_not_know_are_named(selector: str, message: str) -> None:
    problem = rufftool.selector_problem(selector)
    assert problem is not None and problem.startswith(message)


def test_ruff_crashing_on_one_file_names_it_and_checks_the_others(tmp_path: Path) -> None:
    (tmp_path / "deep.py").write_text("x = " + "+".join(["a"] * 100_000) + "\n")
    (tmp_path / "unused.py").write_text("import os\n")
    run = rufftool.run(tmp_path, ["deep.py", "unused.py"], ["F401"], [])
    assert list(run.failed) == ["deep.py"]
    assert [(Path(d["filename"]).name, d["code"]) for d in run.diagnostics] == [
        ("unused.py", "F401")
    ]


_WORDS = st.frozensets(st.sampled_from(["pickle", "loads", "é", "utc", "now"]), min_size=1)


@FUZZ_BOUNDED
@given(
    path=st.sampled_from(["m.py", "notes.txt"]),
    data=st.one_of(
        st.binary(max_size=200),
        st.text(max_size=60).map(lambda t: t.encode("utf-8")),
        st.text(alphabet="pickle loads utcnow é\n#:-codiglatn1", max_size=80).map(
            lambda t: t.encode("latin-1")
        ),
    ),
    sets=st.lists(_WORDS, min_size=1, max_size=3),
)
def test_bytes_that_lack_the_words_never_hide_them_from_the_text(
    path: str, data: bytes, sets: list[frozenset[str]]
) -> None:
    """A file ruled out by its bytes (``may_use`` on bytes read ahead: the forked
    child's word tests) is one whose text holds no set's every word."""
    if lacks(data, sets):
        text = decode(path, data)
        assert isinstance(text, Unreadable) or not any(
            all(word in text for word in each) for each in sets
        )


def test_bytes_are_ruled_out_only_when_certain() -> None:
    plain = b"import os\n\nos.getcwd()\n"
    assert lacks(plain, [frozenset({"pickle", "loads"})])
    assert not lacks(plain + b"pickle.loads(b'')\n", [frozenset({"pickle", "loads"})])
    assert not lacks(plain, [frozenset({"été"})])  # not ASCII: left to the text
    cookie = b"# -*- coding: latin-1 -*-\n" + plain
    assert not lacks(cookie, [frozenset({"pickle"})])  # a declared encoding: the text
