"""Hostile decisions, config and source files: an exact error or verdict, never a crash.

Classes (issue 13): *crash* (exit 3 or an exception), *hang* (no answer within the
bound), *lost* (the user's work or files changed or hidden), *silent* (a rule evaded
without a word). Each case names the class it guards against.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.hostile import BOUNDED, bounded_cli, timed
from support.repo import Charter, decision, git, make_repo, write_decision, write_file

from charter.hooks import boundedyaml, settings
from charter.hooks.decisions.load import MAX_FRONT_MATTER_BYTES, parse_text
from charter.hooks.errors import CharterError
from charter.hooks.source.cache import IGNORE, ensure_folder
from charter.hooks.source.facts import extract

pytestmark = BOUNDED

HEAD = "---\nid: ADR-1\ntitle: t\nstatus: accepted\n"


def _laughs(levels: int, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ",".join(['"lol"'] * width) + "]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


# -- YAML: alias bombs and size (crash, hang) -------------------------------------------


@pytest.mark.parametrize(
    ("front", "line", "problem"),
    [
        (_laughs(9), 9, "expands to more than 20000 values"),  # 9**10 values: billion laughs
        (_laughs(5, 8), 9, "expands to more than 20000 values"),
        ("tags: &x [a, *x]\n", 5, "an alias refers to its own anchor (a loop)"),
        ("scope: &s {k: *s}\n", 5, "an alias refers to its own anchor (a loop)"),
        (
            "constraints: &c\n  - kind: protected\n    paths: [x]\n"
            + ("extra: [" + "*c," * 30000 + "]\n"),
            5,
            "expands to more than 20000 values",
        ),
    ],
)
def test_alias_bombs_are_malformed_front_matter(front: str, line: int, problem: str) -> None:
    parsed, seconds = timed(lambda: parse_text(HEAD + front + "---\n", "d/x.md"))
    assert seconds < 20
    assert parsed.file is None
    [found] = parsed.problems
    assert (found.path, found.severity) == ("d/x.md", "error")
    assert found.line >= line - 4  # on the anchor that grew too large
    assert found.message.startswith(f"malformed YAML front matter: {problem}")
    assert "write the values out instead of repeating anchors" in found.message


def test_a_few_aliases_still_work() -> None:
    text = HEAD + "tags: &t [a, b]\nscope: ['src/**']\nsupersedes: *t\n---\n"
    parsed = parse_text(text, "d/x.md")
    assert parsed.file is not None
    assert parsed.file.decision.supersedes == ("a", "b")


def test_front_matter_over_the_size_limit_is_an_error() -> None:
    filler = "x" * (MAX_FRONT_MATTER_BYTES + 10)
    parsed = parse_text(HEAD + f"notes: {filler}\n---\n", "d/big.md")
    assert [(p.line, p.severity) for p in parsed.problems] == [(1, "error")]
    assert parsed.problems[0].message.startswith("front matter is larger than 256 KiB")


def test_a_big_body_below_the_front_matter_is_fine() -> None:
    parsed = parse_text(HEAD + "---\n" + "prose\n" * 200_000, "d/long.md")
    assert parsed.file is not None and not parsed.problems


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [" + ",".join(["*b"] * 2) + "]\n",  # an undefined alias
        "x: !!python/object/apply:os.system ['true']\n",  # no code from YAML
        "x: !!binary AAAA\n",
        "? [a, b]\n: c\n",  # a complex key
    ],
)
def test_odd_yaml_is_an_error_with_a_line_or_a_value(text: str) -> None:
    parsed = parse_text(HEAD + text + "---\n", "d/x.md")
    assert all(p.path == "d/x.md" and p.line >= 1 for p in parsed.problems)


def test_bounded_yaml_loads_pre_commit_configs_with_a_bomb_as_an_error() -> None:
    with pytest.raises(boundedyaml.yaml.MarkedYAMLError, match="expands to more than"):
        boundedyaml.load("repos:\n" + _laughs(8))


def test_a_decision_bomb_in_the_repository_is_reported_by_the_real_cli(repo: Path) -> None:
    write_decision(repo, "0001-bomb.md", HEAD + _laughs(9) + "---\n")
    git(repo, "add", "-A")
    outcome = bounded_cli(["validate"], repo)
    assert outcome.code == 2, outcome.text
    assert "docs/decisions/0001-bomb.md:9: error: malformed YAML front matter: expands" in (
        outcome.out
    )


# -- Constraint values of every wrong shape (crash, silent) -----------------------------

C = "constraints:\n  - kind: "


@pytest.mark.parametrize(
    ("front", "line", "message"),
    [
        (C + "protected\n    paths: {a: 1}\n", 7, "constraints[0].paths: Input should be a list"),
        (C + "layers\n    layers: [[[]]]\n", 7, "constraints[0].layers[0]: Input should be a"),
        (C + "banned-api\n    names: ['']\n", 7, "'' is not a fully qualified name"),
        (C + "forbid-pattern\n    pattern: 5\n", 7, "pattern: Input should be a valid string"),
        (C + "forbid-pattern\n    pattern: '(a'\n", 7, "invalid regular expression '(a'"),
        (
            C + "forbid-pattern\n    pattern: '" + "(" * 3000 + ")" * 3000 + "'\n",
            7,
            "is nested too deeply",
        ),
        (C + "python\n    check: 'os:system:x'\n", 6, "is not a callable path"),
        (C + "forbid-import\n    from: app\n    to: ['app..db']\n", 8, "'app..db' is not a module"),
        (C + "protected\n    paths: ['{a,b']\n", 7, "glob '{a,b' has an unclosed '{'"),
        (C + "protected\n    paths: ['" + "{a,b}" * 8 + "']\n", 7, "more than 64 alternatives"),
        (C + "ruff\n    select: [F4O1]\n", 7, "'F4O1' is not a ruff rule code or prefix"),
        (C + "ruff\n    select: [FOO1]\n", 7, "'FOO1' selects no rule of ruff"),
        (C + "ruff\n    select: [E9999]\n", 7, "'E9999' selects no rule of ruff"),
        (C + "ruff\n    ignore: [NOPE1]\n    select: [E]\n", 7, "'NOPE1' selects no rule"),
        ("constraints: 5\n", 5, "constraints: Input should be a list (got 5)"),
        ("constraints:\n  - 5\n", 6, "constraints[0]: Input should be a valid dictionary"),
        (C + "[protected]\n", 6, "unknown constraint kind"),
        ("scope: 5\n", 5, "scope: Input should be a list (got 5)"),
        ("scope: ['']\n", 5, "scope: an empty glob matches nothing"),
        ("date: 2026-13-45\n", 5, "cannot read the value '2026-13-45': month must be in 1..12"),
        ("supersedes: {a: 1}\n", 5, "supersedes: Input should be a list"),
        ("tags: [[1]]\n", 5, "tags[0]: Input should be a valid string"),
        (C + "acyclic\n    packages: []\n", 7, "packages: needs at least 1 item(s)"),
        (C + "independent\n    modules: [a]\n", 6, "'modules' needs two or more modules"),
        (C + "co-change\n    when: ['**']\n    require: []\n", 8, "require: needs at least 1"),
        (C + "protected\n    paths: ['a']\n    severity: fatal\n", 8, "severity: Input should be"),
        (C + "protected\n    paths: [a]\n    id: 'bad id'\n", 8, "'bad id' is not a usable id"),
        (C + "dependencies\n    allow: ['Not A Name!']\n", 7, "is not a package name"),
        (C + "file-placement\n    allow: ['/abs']\n", 7, "glob '/abs' is absolute"),
    ],
)
def test_constraint_values_of_the_wrong_shape_are_errors_at_their_line(
    front: str, line: int, message: str
) -> None:
    parsed = parse_text(HEAD + front + "---\n", "d/x.md")
    assert parsed.file is None
    assert any(p.line == line and message in p.message for p in parsed.problems), parsed.problems


def test_a_long_list_written_out_is_not_mistaken_for_an_alias_bomb() -> None:
    paths = ",".join(["'a'"] * 25_000)
    parsed = parse_text(HEAD + C + f"protected\n    paths: [{paths}]\n---\n", "d/x.md")
    assert parsed.file is not None and not parsed.problems


# -- Python files the parser cannot build (crash) ---------------------------------------


@pytest.mark.parametrize(
    ("source", "why"),
    [
        ("-" * 200_000 + "1\n", "ran out of memory"),
        ("x = " + "+".join(["a"] * 100_000) + "\n", "hit the recursion limit"),
        ("x = " + "not " * 100_000 + "y\n", "ran out of memory"),
    ],
)
def test_files_too_deep_for_the_parser_are_syntax_problems(source: str, why: str) -> None:
    facts = extract(source, "app.deep")
    assert facts.syntax_error is not None
    assert facts.syntax_error.message == f"nested too deeply for Python's parser ({why})"


@pytest.mark.parametrize(
    "source",
    [
        "(" * 300 + ")" * 300,
        "x = 1\0\n",
        "\ufeffimport os\n",
        "def f(:\n",
        "\x00\x01\x02",
    ],
)
def test_odd_sources_give_facts_or_a_syntax_problem(source: str) -> None:
    facts = extract(source, "app.x")
    assert facts.syntax_error is None or facts.syntax_error.line >= 1


def test_a_deep_file_is_a_finding_and_other_files_are_still_checked(repo: Path) -> None:
    extra = "constraints:\n  - kind: banned-api\n    names: [os.system]\n"
    write_decision(repo, "0001-x.md", decision("ADR-1", extra=extra))
    write_file(repo, "app/__init__.py")
    (repo / "app/deep.py").write_text("-" * 200_000 + "1\n")
    write_file(repo, "app/use.py", "import os\nos.system('x')\n")
    git(repo, "add", "-A")
    outcome = bounded_cli(["check", "--all"], repo)
    assert outcome.code == 1, outcome.text
    assert "app/deep.py:1:0: charter [syntax-error] cannot parse: nested too deeply" in outcome.out
    assert "app/use.py:2:1: ADR-1 [banned-api]" in outcome.out


# -- Configuration of the wrong type (crash) --------------------------------------------


def _load(root: Path, pyproject: str) -> str:
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    with pytest.raises(CharterError) as caught:
        settings.load(root, environ={})
    return str(caught.value)


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ("tool = 1\n", "pyproject.toml: 'tool' must be a table ([tool]), not 1"),
        ('tool = "x"\n', "pyproject.toml: 'tool' must be a table ([tool]), not 'x'"),
        ("[tool]\ncharter = 3\n", "'tool.charter' must be a table ([tool.charter]), not 3"),
        ("[tool]\ncharter = [1]\n", "'tool.charter' must be a table ([tool.charter]), not [1]"),
        ("[tool.charter]\nexclude = 5\n", "line 2: exclude: expected a list of strings, got 5"),
        ("[tool.charter]\nexclude = [1]\n", "exclude: expected a list of strings, got [1]"),
        ("[tool.charter]\ndecisions = 1\n", "line 2: decisions: expected a path string, got 1"),
        ("[tool.charter]\ndecisions = ''\n", "decisions: expected a path string, got ''"),
        ("[tool.charter]\ndecisions = '/etc'\n", "'/etc' must be a path inside the repository"),
        ("[tool.charter]\nbaseline = '../b.json'\n", "must be a path inside the repository"),
        ("[tool.charter]\njournal = 'maybe'\n", "journal: expected true or false, got 'maybe'"),
        ("[tool.charter]\njournal = 2\n", "journal: expected true or false, got 2"),
        ("[tool.charter]\ncache_dir = []\n", "cache_dir: expected a path string, got []"),
        ("[tool.charter]\nformat = 'xml'\n", "format: 'xml' is not one of text, json, sarif"),
        ("[tool.charter]\nsource_roots = [1]\n", "source_roots: expected a list of strings"),
        ("[tool.charter]\nsource_roots = ['nope']\n", "folder 'nope' does not exist"),
        ("[tool.charter]\npackages = ['a']\n", "packages: expected a table of package = folder"),
        ("[tool.charter]\npackages = {x = 1}\n", "packages: 'x' = 1 is not 'package.name'"),
        ("[tool.charter]\npackages = {'1x' = 'a'}\n", "'1x' = 'a' is not 'package.name'"),
        ("[tool.charter]\nexclude = ['{a,b']\n", "exclude: glob '{a,b' has an unclosed '{'"),
        ("[tool.charter]\nexclude = ['/abs']\n", "glob '/abs' is absolute"),
        ("[tool.charter]\nexclud = []\n", "unknown Charter setting 'exclud' (did you mean"),
        ("[tool.charter\n", "pyproject.toml: invalid TOML"),
        ('a = "\\ud800"\n', "pyproject.toml: invalid TOML"),
    ],
)
def test_config_values_of_the_wrong_type_are_errors(
    tmp_path: Path, pyproject: str, message: str
) -> None:
    assert message in _load(make_repo(tmp_path / "r", None), pyproject)


def test_config_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", None)
    (root / "pyproject.toml").write_bytes(b'[project]\nname = "x"\ndescription = "\xff"\n')
    with pytest.raises(CharterError, match=r"pyproject.toml:3: not valid UTF-8"):
        settings.load(root, environ={})


@pytest.mark.parametrize(
    "pyproject",
    [
        '[tool]\nsetuptools = "x"\n',
        "[tool.setuptools]\npackage-dir = 3\n",
        "[tool.setuptools]\npackage-dir = {a = 1}\n",
        "[project]\ndependencies = 1\n",
        "[project]\noptional-dependencies = {a = 1}\n",
        'project = "x"\n',
    ],
)
def test_other_tools_tables_of_odd_shapes_are_left_to_those_tools(
    tmp_path: Path, charter: Charter, pyproject: str
) -> None:
    root = make_repo(tmp_path / "r", pyproject)
    write_decision(root, "0001-x.md", decision("ADR-1"))
    git(root, "add", "-A")
    code, out, err = charter("check", "--all", "--root", root)
    assert (code, out, err) == (0, "", "")


# -- The cache folder must be Charter's own (lost) --------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (".", "cache_dir: '.' is the repository root: Charter writes a '.gitignore' of '*'"),
        ("./", "cache_dir: '.' is the repository root"),
        ("docs", "cache_dir: 'docs' holds the decisions folder"),
        ("docs/decisions", "cache_dir: 'docs/decisions' holds the decisions folder"),
        ("src", "cache_dir: 'src' holds the source root 'src'"),
    ],
)
def test_the_cache_folder_may_not_be_the_projects_own(
    tmp_path: Path, value: str, message: str
) -> None:
    root = make_repo(tmp_path / "r", None)
    (root / "src").mkdir()
    assert message in _load(root, f"[tool.charter]\ncache_dir = '{value}'\n")


def test_a_folder_holding_files_is_never_taken_over_as_the_cache(repo: Path) -> None:
    write_file(repo, "notes/todo.txt", "mine\n")
    with pytest.raises(CharterError, match="already holds files that are not Charter's"):
        ensure_folder(repo / "notes")
    assert not (repo / "notes/.gitignore").exists()


def test_hooks_making_the_cache_folder_at_once_do_not_refuse_each_other(repo: Path) -> None:
    """On a fresh clone, hooks started together make the folder together: another
    Charter process's '.gitignore' half-written (its temporary file), or written and
    followed by its cache files, is taken as Charter's; a file of the user's is not."""
    cache = repo / ".charter_cache"
    write_file(repo, ".charter_cache/..gitignore-4242-0123456789ab.tmp", "# Charter's")
    ensure_folder(cache)
    assert (cache / ".gitignore").read_text() == IGNORE
    write_file(repo, ".charter_cache/decisions-abc.marshal", "written by the first hook")
    ensure_folder(cache)  # the second hook, after the first wrote its marker and a file
    write_file(repo, "notes/..gitignore-1-x.tmp", "")
    write_file(repo, "notes/todo.txt", "mine\n")
    with pytest.raises(CharterError, match="already holds files that are not Charter's"):
        ensure_folder(repo / "notes")
    assert not (repo / "notes/.gitignore").exists()


def test_a_cache_folder_with_a_foreign_gitignore_is_refused(repo: Path) -> None:
    write_file(repo, "build/.gitignore", "*.o\n")
    with pytest.raises(CharterError, match="set cache_dir to a dedicated folder"):
        ensure_folder(repo / "build")
    assert (repo / "build/.gitignore").read_text() == "*.o\n"


def test_the_cache_refused_through_the_cli_leaves_new_work_visible(repo: Path) -> None:
    write_decision(repo, "0001-x.md", decision("ADR-1"))
    write_file(repo, "pyproject.toml", "[tool.charter]\ncache_dir = 'app'\n")
    write_file(repo, "app/new_work.py", "x = 1\n")
    outcome = bounded_cli(["check", "--all"], repo)
    assert outcome.code == 2, outcome.text
    assert "app: this folder already holds files that are not Charter's" in outcome.err
    assert "app/new_work.py" in git(repo, "status", "--porcelain", "--untracked-files=all")
