"""On a fresh clone, the tree is listed and scanned while the decisions are validated.

``engine.Ahead`` builds the snapshot's view and import table on a thread, started only
when the compiled decisions are not cached and a decision names a kind that reads the
table, while the decisions are validated in a forked child (``decisions/forked.py``).
These tests check that the findings are the same whether or not the work overlapped,
that an error in the decisions is still printed (once), when the thread runs, and that
the child parses the files ``banned-api`` reads, handing its facts to this process only
for files whose bytes are the ones it read.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support.repo import Charter, commit_all, decision, run_cli, write_decision, write_file

from charter.hooks import engine
from charter.hooks import settings as charter_settings
from charter.hooks import view as view_module
from charter.hooks.constraint.active import ActiveConstraint
from charter.hooks.decisions.compile import load_active
from charter.hooks.engine import Ahead
from charter.hooks.source.cache import Cache
from charter.hooks.source.facts import FileFacts, Use
from charter.hooks.source.snapshot import WorkTree, blob_id
from charter.hooks.source.text import decode
from charter.hooks.view import SnapshotView

LAYERS = decision(
    "ADR-0001",
    extra="""
    constraints:
      - kind: layers
        layers: [app.ui, app.core]
    """,
)
NO_TODO = decision(
    "ADR-0002",
    extra="""
    constraints:
      - kind: forbid-pattern
        pattern: "TODO"
    """,
)

NO_PICKLE = decision(
    "ADR-0003",
    extra="""
    constraints:
      - kind: banned-api
        names: [pickle.loads]
    """,
)


def _modules(repo: Path, count: int = 40) -> None:
    """``count`` modules (enough for the native scan); core 0 imports the ui: a finding."""
    write_file(repo, "app/__init__.py")
    for package in ("ui", "core"):
        write_file(repo, f"app/{package}/__init__.py")
        for n in range(count // 2):
            write_file(repo, f"app/{package}/m{n}.py", f"import os\nfrom app.core import m{n}\n")
    write_file(repo, "app/core/m0.py", "from app.ui import m1\n")


def _layered_with_a_banned_use(repo: Path, commit: bool = True) -> list[ActiveConstraint]:
    """``_modules`` under the layers rule, and a use of ``pickle.loads`` banned, committed
    unless ``commit`` is false; the constraints in force."""
    _modules(repo)
    write_file(repo, "app/ui/m2.py", "import pickle\n\npickle.loads(b'')\n")
    write_decision(repo, "0001-layers.md", LAYERS)
    write_decision(repo, "0003-no-pickle.md", NO_PICKLE)
    if commit:
        commit_all(repo, "initial")
    return load_active(charter_settings.load(repo, {})[0], use_cache=False)


@pytest.mark.usefixtures("git_identity")
def test_a_cold_run_overlapped_finds_what_a_sequential_one_finds(
    repo: Path, charter: Charter
) -> None:
    _modules(repo)
    write_decision(repo, "0001-layers.md", LAYERS)
    commit_all(repo, "initial")
    cold = charter("check", "--all", "--format", "json", "--root", repo)
    # The compiled decisions kept, the rest of the cache gone: nothing to overlap.
    cache = repo / ".charter_cache"
    for path in cache.iterdir():
        if not path.name.startswith(("decisions-", ".gitignore")):
            path.unlink()
    sequential = charter("check", "--all", "--format", "json", "--root", repo)
    shutil.rmtree(cache)
    uncached = charter("check", "--all", "--no-cache", "--format", "json", "--root", repo)
    assert cold[0] == 1 and '"app/core/m0.py"' in cold[1]
    assert cold == sequential == uncached
    assert not any("charter_cache" in line for line in cold[1].splitlines())


@pytest.mark.usefixtures("git_identity")
def test_an_error_in_the_decisions_is_printed_while_the_tree_is_scanned(repo: Path) -> None:
    _modules(repo, count=200)
    write_decision(repo, "0001-layers.md", LAYERS)
    write_decision(repo, "0002-broken.md", decision("ADR-0002", extra="constraints: 7"))
    commit_all(repo, "initial")
    code, out, err = run_cli("check", "--all", cwd=repo)
    assert code == 2, (out, err)
    assert "docs/decisions/0002-broken.md" in err


@pytest.mark.usefixtures("git_identity")
def test_banned_names_found_while_the_tree_is_scanned_are_those_found_after(
    repo: Path, charter: Charter
) -> None:
    _modules(repo)
    write_file(repo, "app/ui/m2.py", "import pickle\n\npickle.loads(b'')\n")
    write_file(repo, "app/ui/m3.py", "import pickle as p\n\nx = p.loads\n")
    write_decision(repo, "0001-layers.md", LAYERS)
    write_decision(repo, "0003-no-pickle.md", NO_PICKLE)
    commit_all(repo, "initial")
    cold = charter("check", "--all", "--format", "json", "--root", repo)
    for path in (repo / ".charter_cache").iterdir():
        if not path.name.startswith(("decisions-", ".gitignore")):
            path.unlink()
    sequential = charter("check", "--all", "--format", "json", "--root", repo)
    assert cold == sequential
    found = {(f["path"], f["line"]) for f in json.loads(cold[1])["violations"]}
    assert {("app/ui/m2.py", 3), ("app/ui/m3.py", 3), ("app/core/m0.py", 1)} <= found


def test_the_files_a_banned_name_may_be_in_are_parsed_while_the_tree_is_scanned(
    repo: Path,
) -> None:
    active = _layered_with_a_banned_use(repo, commit=False)
    with _ahead(repo) as ahead:
        ahead.start()
        view = ahead.view(active)
    assert "table" in vars(view)
    # Before the engine runs: the one file holding both words, and no other, is parsed.
    assert view.parsed == {"app/ui/m2.py"}
    assert "pickle.loads" in {u.name for u in view.facts("app/ui/m2.py").uses}


def _ahead(repo: Path) -> Ahead:
    settings = charter_settings.load(repo, {})[0]
    return Ahead(WorkTree(repo), settings, Cache(repo / ".charter_cache"))


def test_the_table_is_built_ahead_only_for_a_kind_that_reads_it(repo: Path) -> None:
    _modules(repo)
    write_decision(repo, "0001-todo.md", NO_TODO)
    with _ahead(repo) as ahead:
        ahead.start()
    assert "table" not in vars(ahead.view())  # forbid-pattern reads text: no scan
    write_decision(repo, "0002-layers.md", LAYERS)
    with _ahead(repo) as ahead:
        ahead.start()
    view = ahead.view()
    assert "table" in vars(view)  # built on the thread
    assert view.table.entries["app.core.m0"].imports[0][0] == "app.ui"
    assert (repo / ".charter_cache" / ".gitignore").is_file()


def _run_cold(repo: Path, fork: str) -> tuple[int, str, list[str]]:
    """A cold ``check --all`` in a fresh interpreter: exit code, JSON report and the
    third-party packages the (parent) process imported."""
    shutil.rmtree(repo / ".charter_cache", ignore_errors=True)
    code = (
        "import io, json, sys\n"
        "from contextlib import redirect_stdout\n"
        "from charter.hooks.cli import main\n"
        "out = io.StringIO()\n"
        "with redirect_stdout(out):\n"
        "    status = main(['check', '--all', '--format', 'json'])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'yaml'})\n"
        "print(json.dumps([status, out.getvalue(), heavy]))\n"
    )
    result = _python(repo, fork, "-c", code)
    status, report, heavy = json.loads(result.stdout.splitlines()[-1])
    return status, report, heavy


def _python(repo: Path, fork: str, *args: str) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter in ``repo`` with the child validation on (1) or off (0)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CHARTER_FORK": fork},
        timeout=120,
    )


@pytest.mark.usefixtures("git_identity")
def test_the_decisions_are_validated_in_a_child_with_the_same_findings(repo: Path) -> None:
    _modules(repo)
    write_decision(repo, "0001-layers.md", LAYERS)
    write_decision(repo, "0002-todo.md", NO_TODO)
    write_file(repo, "app/ui/m3.py", "# TODO: tidy\nimport os\n")
    commit_all(repo, "initial")
    in_process = _run_cold(repo, fork="0")
    assert in_process[2] == ["yaml"]  # records pydantic need not see (decisions/plain.py)
    status, report, heavy = _run_cold(repo, fork="1")
    assert heavy == []  # PyYAML was imported by the child only
    assert (status, report) == in_process[:2]
    assert status == 1 and '"app/core/m0.py"' in report and '"app/ui/m3.py"' in report
    # And what the child compiled is the cache a warm run reads.
    assert (status, report) == _warm(repo)


def _warm(repo: Path) -> tuple[int, str]:
    code, out, _ = run_cli("check", "--all", "--format", "json", cwd=repo)
    return code, out


@pytest.mark.usefixtures("git_identity")
def test_an_error_in_the_decisions_is_printed_once(repo: Path) -> None:
    _modules(repo)
    write_decision(repo, "0001-layers.md", LAYERS)
    write_decision(repo, "0002-broken.md", decision("ADR-0002", extra="constraints: 7"))
    commit_all(repo, "initial")
    errors = []
    for fork in ("1", "0"):
        result = _python(repo, fork, "-m", "charter.hooks", "check", "--all")
        assert result.returncode == 2, result
        assert result.stderr.count("docs/decisions/0002-broken.md") == 1, result.stderr
        errors.append((result.stdout, result.stderr))
    assert errors[0] == errors[1]


_PARSED_HERE = """
import io, json
from contextlib import redirect_stdout
from charter.hooks import view
from charter.hooks.cli import main
from charter.hooks.source import batch
parsed = []
def recorded(extract):
    def parse(text, module="", is_package=False):
        parsed.append(module)
        return extract(text, module, is_package)
    return parse
batch.extract, view.extract = recorded(batch.extract), recorded(view.extract)
out = io.StringIO()
with redirect_stdout(out):
    status = main(["check", "--all", "--format", "json"])
print(json.dumps([status, out.getvalue(), parsed]))
"""


@pytest.mark.usefixtures("git_identity")
def test_the_child_parses_the_files_a_banned_name_may_be_in(repo: Path) -> None:
    """Forked, the child that validated the records parses them (this process, whose
    thread scans the tree, does not), and the findings are those found without it."""
    _layered_with_a_banned_use(repo)
    runs = {}
    for fork in ("0", "1"):
        shutil.rmtree(repo / ".charter_cache", ignore_errors=True)
        result = _python(repo, fork, "-c", _PARSED_HERE)
        assert result.returncode == 0, result.stderr
        runs[fork] = json.loads(result.stdout.splitlines()[-1])
    assert runs["0"][:2] == runs["1"][:2]
    assert '"app/ui/m2.py"' in runs["1"][1]
    assert "app.ui.m2" in runs["0"][2]
    assert "app.ui.m2" not in runs["1"][2]


def test_what_another_view_found_is_taken_for_the_same_bytes_only(repo: Path) -> None:
    write_file(repo, "app/a.py", "import pickle\n\npickle.loads(b'')\n")
    write_file(repo, "app/b.py", "import pickle\n\npickle.loads(b'')\n")
    write_file(repo, "app/0001_c.py", "ops = [\n")
    write_file(repo, "app/0002_d.py", "ops = [\n")
    settings = charter_settings.load(repo, {})[0]
    words = [frozenset({"pickle", "loads"})]
    there = SnapshotView(WorkTree(repo), settings, Cache(None))
    there.facts_of(["app/a.py", "app/b.py"])
    assert there.may_use("app/a.py", words) and there.may_use("app/b.py", words)
    assert there.syntax_error("app/0001_c.py") and there.syntax_error("app/0002_d.py")
    learned = there.learned()
    assert learned["app/0001_c.py"][3] == [1, 7, "'[' was never closed", False]
    marked = FileFacts(uses=(Use("found.there", 1, 1),)).to_data()
    # Marked as found there: facts with a use, and files said to parse.
    learned = {
        path: (blob, marked if facts else None, tests, [] if syntax else None)
        for path, (blob, facts, tests, syntax) in learned.items()
    }
    write_file(repo, "app/b.py", "x = 1\n")  # changed since it was read there
    write_file(repo, "app/0002_d.py", "ops = [[\n")
    here = SnapshotView(WorkTree(repo), settings, Cache(None))
    here.adopt(learned)
    assert [use.name for use in here.facts("app/a.py").uses] == ["found.there"]
    assert here.may_use("app/a.py", words)
    assert here.syntax_error("app/0001_c.py") is None
    assert here.facts("app/b.py").uses == ()
    assert not here.may_use("app/b.py", words)
    assert here.syntax_error("app/0002_d.py") is not None


def test_the_child_reads_the_files_again_only_on_a_tree_of_few(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a tree where banned-api judges more than ``CHILD_READS`` Python files, the
    child hands nothing back (this process parses, as without a child)."""
    _modules(repo)
    write_file(repo, "app/ui/m2.py", "import pickle\n\npickle.loads(b'')\n")
    write_file(repo, "app/migrations/0001_initial.py", "operations = [\n")  # not a module
    write_decision(repo, "0003-no-pickle.md", NO_PICKLE)
    settings = charter_settings.load(repo, {})[0]
    active = load_active(settings, use_cache=False)
    work = _ahead(repo).in_child(active)
    assert work is not None
    learned = work()
    assert isinstance(learned, dict)
    assert learned["app/ui/m2.py"][1] is not None  # parsed: its facts
    # No kind parses the migration: the child parses it for its syntax alone.
    assert learned["app/migrations/0001_initial.py"][3] == [1, 14, "'[' was never closed", False]
    monkeypatch.setattr(engine, "CHILD_READS", 10)  # fewer than the 40 modules judged
    assert _ahead(repo).in_child(active) is None


def test_the_modules_are_read_once_before_the_fork_for_the_child_and_the_table(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a cold run, every module's bytes are read before the child is forked: the
    child rules out by those bytes the files that lack a banned name's words (never
    decoding them), hands those answers over by blob id, and the thread builds the
    table from the same bytes without reading a module again."""
    active = _layered_with_a_banned_use(repo, commit=False)
    reads: list[str] = []
    read = WorkTree.read

    def counted(self: WorkTree, path: str) -> bytes | None:
        reads.append(path)
        return read(self, path)

    monkeypatch.setattr(WorkTree, "read", counted)
    ahead = _ahead(repo)
    ahead.before_fork()
    modules = [path for path in reads if path.startswith("app/")]
    assert sorted(modules) == sorted(str(p.relative_to(repo)) for p in repo.glob("app/**/*.py"))
    reads.clear()
    work = ahead.in_child(active)  # made here, as the forked child would make it
    assert work is not None
    with ahead:
        ahead.start()
        built = ahead.view()
    assert reads == []
    assert "table" in vars(built)
    assert [edge.imported for edge in built.graph.out_edges("app.core.m0")] == ["app.ui.m1"]
    assert ahead._read == {}  # the bytes handed over to the thread's view, not kept
    decoded: list[str] = []

    def recorded(path: str, *args: Any) -> object:
        decoded.append(path)
        return decode(path, *args)

    monkeypatch.setattr(view_module, "decode", recorded)
    learned = work()
    assert isinstance(learned, dict)
    assert reads == [] and decoded == ["app/ui/m2.py"]
    words = ((frozenset({"pickle", "loads"}), False),)
    blob = blob_id((repo / "app/ui/m3.py").read_bytes())
    assert learned["app/ui/m3.py"] == (blob, None, words, None)
    assert learned["app/ui/m2.py"][1] is not None  # parsed: its facts


_TIMED = """
import io, json, os, sys, time
from contextlib import redirect_stdout
from charter.hooks import view
from charter.hooks.cli import main
from charter.hooks.source import batch, native
log = sys.argv[1]
def note(what):
    with open(log, "a") as file:
        file.write(f"{what} {time.monotonic()}\\n")
def slow(located):
    def scan(*args, **kwargs):
        found = located(*args, **kwargs)
        time.sleep(0.5)  # a long scan: a parse beside it would start before its end
        note("scanned")
        return found
    return scan
def recorded(extract):
    def parse(text, module="", is_package=False):
        note("parse")
        return extract(text, module, is_package)
    return parse
native._located_lines = slow(native._located_lines)
batch.extract, view.extract = recorded(batch.extract), recorded(view.extract)
out = io.StringIO()
with redirect_stdout(out):
    status = main(["check", "--all", "--format", "json"])
print(json.dumps([status, out.getvalue()]))
"""


@pytest.mark.usefixtures("git_identity")
def test_the_child_parses_once_the_scan_is_done(repo: Path, tmp_path: Path) -> None:
    """grimp's scan keeps both cores busy: the child parses the banned-api files only
    after it (while this process reads grimp's answer back), with the same findings."""
    _layered_with_a_banned_use(repo)
    runs = {}
    for fork in ("0", "1"):
        shutil.rmtree(repo / ".charter_cache", ignore_errors=True)
        log = tmp_path / f"fork-{fork}.log"
        result = _python(repo, fork, "-c", _TIMED, str(log))
        assert result.returncode == 0, result.stderr
        runs[fork] = json.loads(result.stdout.splitlines()[-1])
        events = [line.split() for line in log.read_text().splitlines()]
        if fork == "1":
            scanned = [float(t) for what, t in events if what == "scanned"]
            parsed = [float(t) for what, t in events if what == "parse"]
            assert len(scanned) == 1 and parsed, events
            assert min(parsed) > scanned[0], events
    assert runs["0"] == runs["1"]
    assert '"app/ui/m2.py"' in runs["1"][1] and '"app/core/m0.py"' in runs["1"][1]


@pytest.mark.usefixtures("git_identity")
def test_the_child_parses_at_once_when_no_table_is_scanned(repo: Path) -> None:
    """Without a kind that reads the import table nothing is scanned: the child does
    not wait for a scan (the check ends, with the banned name found)."""
    _modules(repo)
    write_file(repo, "app/ui/m2.py", "import pickle\n\npickle.loads(b'')\n")
    write_decision(repo, "0003-no-pickle.md", NO_PICKLE)
    commit_all(repo, "initial")
    result = _python(repo, "1", "-m", "charter.hooks", "check", "--all")
    assert result.returncode == 1, result
    assert "app/ui/m2.py:3" in result.stdout


_CHILD_DIES = """
import io, json, os
from contextlib import redirect_stdout
from charter.hooks import engine
from charter.hooks.cli import main
def in_child(self, active):
    def work():
        os.kill(os.getpid(), 9)  # after the records were handed over
    return work
engine.Ahead.in_child = in_child
out = io.StringIO()
with redirect_stdout(out):
    status = main(["check", "--all", "--format", "json"])
print(json.dumps([status, out.getvalue()]))
"""


@pytest.mark.usefixtures("git_identity")
def test_a_child_lost_after_handing_over_the_records_changes_no_finding(repo: Path) -> None:
    """The records arrive first and the check goes on with them; when the child's own
    answer never comes, this process parses the files itself, to the same findings."""
    _layered_with_a_banned_use(repo)
    runs = []
    for fork, script in (("0", _PARSED_HERE), ("1", _CHILD_DIES)):
        shutil.rmtree(repo / ".charter_cache", ignore_errors=True)
        result = _python(repo, fork, "-c", script)
        assert result.returncode == 0, result.stderr
        runs.append(json.loads(result.stdout.splitlines()[-1])[:2])
    assert runs[0] == runs[1]
    assert '"app/ui/m2.py"' in runs[1][1] and '"app/core/m0.py"' in runs[1][1]


_SHARED = """
import glob, io, json, marshal, os, sys
from contextlib import redirect_stdout
from charter.hooks import engine, view
from charter.hooks.cli import main
from charter.hooks.source import snapshot
engine.SPLIT_AT = 2  # every fresh table shares its scan with a helper
helpers = []
made_by = engine._table_helper
def noted(*args):
    found = made_by(*args)
    helpers.append(None if found is None else sorted(found.paths))
    return found
engine._table_helper = noted
graph_children = []
graph_elsewhere = engine._graph_elsewhere
def graph_noted(*args):
    found = graph_elsewhere(*args)
    graph_children.append(found is not None)
    return found
engine._graph_elsewhere = graph_noted
here, made_here, read_here = os.getpid(), [], set()
def noted_here(owner, name, note):  # what this process (not a forked one) asks of it
    original = getattr(owner, name)
    def noting(self, argument):
        if os.getpid() == here:
            note(argument)
        return original(self, argument)
    setattr(owner, name, noting)
noted_here(view.SnapshotView, "_import_facts", made_here.extend)
noted_here(snapshot.WorkTree, "read", read_here.add)
if sys.argv[1] == "fails":
    def broken(self, paths):
        raise RuntimeError("the helper fails")
    view.SnapshotView.table_entries = broken
if sys.argv[1] == "graph fails":
    judged_by = engine._check
    def check_here(active, view, only=None):
        if os.getpid() != here:
            raise RuntimeError("the import rules' child fails")
        return judged_by(active, view, only)
    engine._check = check_here
if sys.argv[1] == "hangs":
    import time
    def stuck(self, paths):
        time.sleep(600)
    view.SnapshotView.table_entries = stuck
    engine.HELPER_WAIT = 0.5  # seconds: waited for at most half a second
out = io.StringIO()
with redirect_stdout(out):
    status = main(["check", "--all", "--format", "json"])
[table] = glob.glob(".charter_cache/imports-*.marshal")
with open(table, "rb") as file:
    entries = marshal.load(file)["entries"]
print(json.dumps([
    status, out.getvalue(), helpers, entries, sorted(made_here), sorted(read_here), graph_children
]))
"""


@pytest.mark.usefixtures("git_identity")
@pytest.mark.parametrize("helper", ["works", "fails", "hangs", "graph fails"])
def test_a_table_shared_with_a_forked_helper_is_the_table_made_here(
    repo: Path, helper: str
) -> None:
    """On a large fresh tree, a forked helper makes half the modules' table entries
    while the thread makes the others, and tests its modules for the banned name's words:
    the table and the findings are those made in one process, which reads none of the
    helper's modules but those it reports findings in; when the helper
    fails, or does not answer in time, this process makes its half too. The import
    rules are judged in a child of their own, or here when it fails."""
    _layered_with_a_banned_use(repo)
    runs = {}
    for fork in ("0", "1"):
        shutil.rmtree(repo / ".charter_cache", ignore_errors=True)
        result = _python(repo, fork, "-c", _SHARED, helper)
        assert result.returncode == 0, result.stderr
        runs[fork] = json.loads(result.stdout.splitlines()[-1])
    alone, shared = runs["0"], runs["1"]
    assert alone[2] == [] and len(shared[2]) == 1  # the helper is forked only where it can be
    assert alone[6] == [False] and shared[6] == [True]  # so is the import rules' child
    modules = sorted(str(p.relative_to(repo)) for p in repo.glob("app/**/*.py"))
    helped = shared[2][0]
    assert set(helped) < set(modules) and len(helped) == (len(modules) + 1) // 2
    assert alone[4] == modules
    helper_made = helper in ("works", "graph fails")
    assert shared[4] == (sorted(set(modules) - set(helped)) if helper_made else modules)
    assert shared[3] == alone[3]  # the same entries, blob ids and digests
    assert shared[:2] == alone[:2]
    if helper_made:  # read here: the helper's modules with findings, for the report
        reported = {item["path"] for item in json.loads(shared[1])["violations"]}
        assert set(shared[5]) & set(helped) <= reported
    else:
        assert set(helped) <= set(shared[5])
    assert '"app/core/m0.py"' in shared[1] and '"app/ui/m2.py"' in shared[1]


def test_the_helper_reads_its_question_while_another_process_holds_the_pipe() -> None:
    """The words are written with their length: the helper does not wait for the pipe
    to end, which a process forked after it (the decisions' child) keeps open."""
    asked, asking = os.pipe()
    held = os.dup(asking)  # as a process forked after the helper holds it
    try:
        helper = engine._Helper(["app/m.py"], None, asking)  # type: ignore[arg-type]
        helper.ask(([frozenset({"pickle", "loads"})], True))
        assert helper.asked
        assert engine._question(asked) == ([frozenset({"pickle", "loads"})], True)
        nothing = engine._Helper([], None, os.dup(held))  # type: ignore[arg-type]
        nothing.ask(None)
        assert not nothing.asked and engine._question(asked) is None
    finally:
        os.close(held)
        os.close(asked)
