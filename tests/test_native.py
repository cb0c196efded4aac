"""The native import scan (grimp's Rust parser) and the pure-Python path agree.

``source/native.py`` locates import statements with grimp and reads them back; every
file it cannot read exactly is left to ``facts.extract``. These tests check both halves:
per file, the records are the ones ``extract`` gives; per repository (the shipped
examples and scenarios), ``charter check --all`` reports the same findings with the
native path on and off (``CHARTER_NATIVE=0``).
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.repo import Charter, commit_all, decision, write_decision, write_file

from charter.hooks.source import native
from charter.hooks.source.facts import extract, imports_of, walk
from charter.hooks.source.modules import module_name

REPO = Path(__file__).resolve().parents[1]

TRICKY = {
    "app/__init__.py": "from __future__ import annotations\nimport os; import sys\n",
    "app/multi.py": (
        "from app.util import (\n    a,  # first\n    b,\n)\n"
        "import json, \\\n    csv\n"
        "try: import requests.adapters as ra\nexcept ImportError: ra = None\n"
    ),
    "app/nested.py": (
        "def f():\n    import app.util\n    from . import util as u\n    return u\n"
        "import app.util\n"
        "class K:\n    from .util import a as b, c\n"
    ),
    "app/strings.py": (
        'DOC = """\nimport not_an_import\nfrom nowhere import x\n"""\n'
        "x = 'a; import b'; import app.util\n"
        "from app import *\n"
    ),
    "app/util.py": "import os.path\nfrom ..outside import nothing_but_a_guess\n",
    "app/typed.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import app.util\n",
    "app/sub/__init__.py": "from .. import util\nfrom . import deeper\n",
    "app/sub/deeper.py": "from ...app import util\n",
    "app/empty.py": "",
}


def _jobs(files: dict[str, str]) -> dict[str, native.Job]:
    jobs = {}
    for path, text in files.items():
        module = module_name(path)
        assert module is not None
        jobs[path] = native.Job(module, path.endswith("__init__.py"), text)
    return jobs


@pytest.fixture(autouse=True)
def _always_native(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scan natively however few the files (a commit's few files go to ast otherwise)."""
    monkeypatch.setenv("CHARTER_NATIVE", "1")


def _same_as_extract(jobs: dict[str, native.Job]) -> dict[str, object]:
    found = native.scan(jobs)
    for path, imports in found.items():
        job = jobs[path]
        assert imports == extract(job.text, job.module, job.is_package).imports, path
    return found


def test_tricky_statements_are_read_back_as_extract_reads_them() -> None:
    files = {p: t for p, t in TRICKY.items() if "outside" not in t and "...app" not in t}
    found = _same_as_extract(_jobs(files))
    assert set(found) == set(files)  # every file is scanned natively
    assert [i.line for i in found["app/nested.py"]] == [2, 3, 5, 7]


GUARDS = {
    "app/__init__.py": "",
    "app/plain.py": (
        "from typing import (\n    TYPE_CHECKING,\n    Any,\n)\nimport os\n"
        "if TYPE_CHECKING:\n    import app.one\n    from . import two\n\n    x = 1\nimport sys\n"
    ),
    "app/dotted.py": "import typing\nif typing.TYPE_CHECKING: import app.one; import json\n",
    "app/indented.py": (
        "def f():\n    if TYPE_CHECKING:  # a comment\n        import app.one\n"
        "        s = '''\nimport nothing\n'''\n    import app.two\n"
        "class K:\n    if TYPE_CHECKING:\n\n        from app import (\n  one,\n)\n"
    ),
    "app/elif.py": "import os\nif os.name:\n    import json\nelif TYPE_CHECKING:\n    import csv\n",
    "app/docstring.py": '"""\nif TYPE_CHECKING:\n    import fake\n"""\nimport json\n',
    "app/guard_and_else.py": (
        "if TYPE_CHECKING:\n    import app.one\nelse:\n    import app.two\nimport json\n"
    ),
    "app/nested.py": (
        "if TYPE_CHECKING:\n    if TYPE_CHECKING:\n        import json\n    import app.one\n"
    ),
    "app/long_test.py": "if (\n    TYPE_CHECKING\n):\n    import app.one\n",
    "app/one.py": "",
    "app/two.py": "",
}


def test_type_checking_guards_are_read_natively_where_grimp_agrees_with_ast() -> None:
    found = _same_as_extract(_jobs(GUARDS))
    # A test on several lines is not read line by line: left to ast. Where grimp's rule
    # differs from ast's (its versions differ on else branches and nested guards), the
    # file is left to ast too; where it is read natively, it is read exactly (above).
    corners = {"app/guard_and_else.py", "app/nested.py"}
    assert set(found) - corners == set(GUARDS) - corners - {"app/long_test.py"}
    assert [i.type_checking for i in found["app/plain.py"]] == [False, False, True, True, False]
    assert [i.type_checking for i in found["app/elif.py"]] == [False, False, True]
    assert [i.type_checking for i in found["app/dotted.py"]] == [False, True, True]
    assert [i.type_checking for i in found["app/indented.py"]] == [True, False, True]


@pytest.mark.parametrize("path", sorted(set(GUARDS) - {"app/long_test.py"}))
def test_guards_read_block_by_block_are_those_ast_finds(path: str) -> None:
    job = _jobs(GUARDS)[path]
    facts = extract(job.text, job.module, job.is_package)
    expected = {i.line for i in facts.imports if i.type_checking}
    guarded = native._guarded_lines(job.text.splitlines())
    # A guard written in a docstring guards no import line: only those lines count.
    assert guarded is not None and guarded & {i.line for i in facts.imports} == expected
    imports = tuple(i._replace(type_checking=False) for i in facts.imports)
    # grimp must agree: a disagreement leaves the file to ast.
    assert native._with_guards(job, imports, expected) == facts.imports
    assert native._with_guards(job, imports, {999}) is None


def test_relative_imports_above_the_top_package_are_left_to_ast(capfd) -> None:  # type: ignore[no-untyped-def]
    found = _same_as_extract(_jobs(TRICKY))
    assert "app/util.py" not in found and "app/sub/deeper.py" not in found
    assert "app/multi.py" in found
    # Here grimp panics (a Rust panic): the whole batch is left to ast, silently.
    assert native.scan(_jobs({"app/__init__.py": "from ... import x\n"})) == {}
    assert capfd.readouterr().err == ""


def test_a_file_with_a_syntax_error_is_left_to_ast_and_the_rest_scanned() -> None:
    files = {
        "app/__init__.py": "",
        "app/ok.py": "import json\n",
        "app/broken.py": "import os\ndef oops(:\n",
    }
    found = _same_as_extract(_jobs(files))
    assert set(found) == {"app/__init__.py", "app/ok.py"}


def test_without_grimp_nothing_is_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARTER_NATIVE", "0")
    assert native.scan(_jobs({"app/__init__.py": "import os\n"})) == {}


def _python_files(root: Path) -> dict[str, str]:
    files = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if module_name(rel) is not None:
            files[rel] = path.read_text(encoding="utf-8")
    return files


SHIPPED = [  # the shipped examples and scenario trees that hold Python code
    root
    for root in [
        *sorted(p for p in (REPO / "examples").iterdir() if (p / "docs").is_dir()),
        *sorted(p / "repo" for p in (REPO / "scenarios").iterdir() if (p / "repo").is_dir()),
    ]
    if _python_files(root)
]


@pytest.mark.parametrize("root", SHIPPED, ids=lambda p: p.relative_to(REPO).as_posix())
def test_shipped_files_read_natively_match_extract(root: Path) -> None:
    files = _python_files(root)
    found = _same_as_extract(_jobs(files))
    assert any(found.values()), "the native path read no imports at all"


BLOCKS = (
    "import a\n"
    "def f():\n    import b\n    class K:\n        from . import c\n"
    "for x in y:\n    pass\nelse:\n    import d\n"
    "while x:\n    import e\nelse:\n    from .. import f as g\n"
    "try:\n    import h\nexcept* ValueError:\n    import i\nelse:\n    import j\n"
    "finally:\n    import k.l\n"
    "with x:\n    import m\n"
    "async def g():\n    async with x:\n        import n\n    async for z in y:\n        import o\n"
    "match x:\n    case 1:\n        import p\n    case _:\n        from q import r, s\n"
    "if TYPE_CHECKING:\n    import t\nelif x:\n    import u\nelse:\n    import v\n"
    "lambda: __import__('w')\n"
)


SOME_OF_CHARTER = sorted((REPO / "hooks").rglob("*.py"))[::7]


@pytest.mark.parametrize(
    ("text", "module"),
    [(BLOCKS, "pkg.sub.mod"), ("def broken(:\n", "m")]
    + [
        (p.read_bytes(), module_name(p.relative_to(REPO / "hooks").as_posix()))
        for p in SOME_OF_CHARTER
    ],
)
def test_imports_alone_are_the_imports_extract_finds(text: str | bytes, module: object) -> None:
    """The import table's parse of a commit's few files (``facts.imports_of``) visits
    only statements: it finds every import ``extract`` finds, in every kind of block."""
    full = extract(text, str(module))
    alone = imports_of(text, str(module))
    assert (alone.imports, alone.syntax_error, alone.uses) == (full.imports, full.syntax_error, ())
    if text is BLOCKS:
        assert len(full.imports) == 18 and full.imports[-3].type_checking


@pytest.mark.parametrize("path", [*SOME_OF_CHARTER, REPO / "hooks" / "engine.py"], ids=str)
def test_the_walk_visits_what_ast_walk_visits_in_its_order(path: Path) -> None:
    """``facts.walk`` stands in for ``ast.walk`` (the uses are found in its order)."""
    tree = ast.parse(path.read_bytes())
    assert [id(node) for node in walk(tree)] == [id(node) for node in ast.walk(tree)]
    block = ast.parse(BLOCKS).body[-1]
    assert [id(node) for node in walk(block)] == [id(node) for node in ast.walk(block)]


# ``check`` with the import table shared with a forked helper however few the modules
# (``engine._table_helper``); it says on stderr for how many modules the helper ran
# (nothing when no rule reads the table: none is made).
_SHARED = """
import sys
from charter.hooks import engine
from charter.hooks.cli import main
engine.SPLIT_AT = 1
helper = engine._table_helper
def noted(*args):
    found = helper(*args)
    print("helper:", 0 if found is None else len(found.paths), file=sys.stderr)
    return found
engine._table_helper = noted
raise SystemExit(main(sys.argv[1:]))
"""


def _check_all(
    root: Path, native_on: bool, decisions: str | None, shared: bool = False
) -> dict[str, object]:
    env = {**os.environ, "CHARTER_NATIVE": "1" if native_on else "0"}
    args = ["check", "--all", "--no-cache", "--format", "json"]
    if decisions is not None:
        args += ["--decisions", decisions]
    start = ["-c", _SHARED] if shared else ["-m", "charter.hooks"]
    result = subprocess.run(
        [sys.executable, *start, *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode in (0, 1), result.stderr
    if shared:  # when the tree's import table is made (a rule reads it), with the helper
        assert not re.search(r"^helper: 0", result.stderr, re.MULTILINE), result.stderr
    report: dict[str, object] = json.loads(result.stdout)
    return report


def _checkout(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".charter_cache"))
    subprocess.run(["git", "init", "-q"], cwd=target, check=True)
    subprocess.run(["git", "add", "-A"], cwd=target, check=True)
    return target


CASES = [
    *(
        (p, None)
        for p in sorted((REPO / "examples").iterdir())
        if (p / "docs").is_dir() and p.name != "broken"  # its decisions do not load
    ),
    *(
        (scenario / "repo", constraint_set)
        for scenario in sorted((REPO / "scenarios").iterdir())
        if (scenario / "repo").is_dir()
        for constraint_set in sorted((scenario / "constraints").iterdir())
        if constraint_set.is_dir()
    ),
]


@pytest.mark.parametrize(
    ("source", "constraint_set"),
    CASES,
    ids=[f"{s.relative_to(REPO).as_posix()}{'' if c is None else ':' + c.name}" for s, c in CASES],
)
def test_native_and_pure_python_paths_give_identical_findings(
    source: Path, constraint_set: Path | None, tmp_path: Path
) -> None:
    root = _checkout(source, tmp_path / "repo")
    decisions = None
    if constraint_set is not None:
        shutil.copytree(constraint_set, root / "constraints-under-test")
        decisions = "constraints-under-test"
    with_native = _check_all(root, True, decisions)
    without = _check_all(root, False, decisions)
    assert with_native == without
    # Half the import table made by a forked helper (a large fresh tree's way).
    assert _check_all(root, True, decisions, shared=True) == with_native


BAN_LOADS = decision(
    "ADR-0001",
    extra="""
    constraints:
      - kind: banned-api
        names: [pickle.loads]
    """,
)


@pytest.mark.usefixtures("git_identity")
def test_banned_api_parses_only_files_that_can_mention_the_name(
    repo: Path, charter: Charter
) -> None:
    write_file(repo, "app/__init__.py")
    write_file(repo, "app/store.py", "import pickle as p\nVALUE = p.loads(b'')\n")
    write_file(repo, "app/broken.py", "def oops(:\n")  # no 'loads' in it
    write_file(repo, "app/plain.py", "import json\n")
    write_decision(repo, "0001-no-loads.md", BAN_LOADS)
    commit_all(repo, "initial")
    for _ in ("cold", "warm"):
        code, out, _ = charter("check", "--all", "--root", repo)
        assert code == 1
        assert "app/store.py:2:9: ADR-0001 [banned-api] uses banned pickle.loads" in out
        assert "app/broken.py:1:10: charter [syntax-error] cannot parse" in out


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "import os\n",
        "  import os\n",
        "\fimport os\n",
        "\t\n  x\r\nimport os",
        "  a\u2028b",
        "  a\x85 b",
        "  a\x0b\t",
        " \x1fimport os",
        "\r\n\r\n  x",
        "\xa0import os",
        "import os\n    x\n  y\n",
        "import os\r\n\tx\r\n\n",
        "a\n\x0c  b\n",
        "def f():\n    import os\n",
    ],
)
def test_grimp_is_given_only_texts_it_gives_back_line_for_line(text: str) -> None:
    if not native._starts_a_line(text):
        assert text[:1].isspace()
        return
    assert native.available()
    given = native._rust().FakeBasicFileSystem(content_map={"/m.py": "\n" + text})
    assert given.read("/m.py").splitlines() == text.rstrip().splitlines()


def test_type_checking_files_with_syntax_errors_do_not_stop_the_others() -> None:
    broken = {
        f"app/b{n}.py": "from typing import TYPE_CHECKING\ndef oops(:\n"
        for n in range(native.MAX_RETRIES)
    }
    files = {**broken, "app/__init__.py": "", "app/ok.py": GUARDS["app/plain.py"]}
    found = _same_as_extract(_jobs(files))
    assert set(found) == {"app/__init__.py", "app/ok.py"}


def test_a_file_that_starts_with_whitespace_is_left_to_ast() -> None:
    # grimp's in-memory file system strips the text: below a blank first line, its line
    # numbers are one too low (here the comment's ``import os`` would be read back in
    # their place), and an indented first line parses there.
    files = {
        "app/__init__.py": "import sys\n",
        "app/blank_first.py": "\n#;import os\nimport os\n",
        "app/indented_first.py": "  x = 1\nimport os\n",
        "app/spaces_only.py": " \n",
    }
    found = _same_as_extract(_jobs(files))
    assert set(found) == {"app/__init__.py"}
    assert extract(files["app/indented_first.py"], "app.indented_first", False).syntax_error


def test_the_same_statement_in_other_files_is_placed_and_resolved_in_each() -> None:
    # ``scan`` reads each statement text once: its records differ from file to file.
    same = "import os\nfrom . import b\nfrom .. import c\n"
    files = {
        "app/__init__.py": same,
        "app/one/__init__.py": "x = 1\n    \n" + same,
        "app/one/mod.py": "def f():\n    " + same.replace("\n", "\n    "),
        "app/two.py": same,
    }
    found = _same_as_extract(_jobs(files))
    # '..' above the top package: left to ast.
    assert set(found) == {"app/one/__init__.py", "app/one/mod.py"}
    assert [(i.module, i.line, i.col) for i in found["app/one/__init__.py"]] == [
        ("os", 3, 1),
        ("app.one", 4, 1),
        ("app", 5, 1),
    ]
    assert [(i.module, i.line, i.col) for i in found["app/one/mod.py"]] == [
        ("os", 2, 5),
        ("app.one", 3, 5),
        ("app", 4, 5),
    ]
