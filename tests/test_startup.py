"""What a clean commit's hooks import: only what the constraints in force need.

A hook's start-up is paid on every commit. With the caches warm (compiled decisions,
file facts, the import table), a clean ``check --staged`` and ``commit-msg`` must not
import PyYAML, pydantic, LibCST, grimp or the agents and reports they do not use; the
Charter modules they import are listed here, so a new import on the hot path is a
decision, not an accident.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support.repo import commit_all, decision, write_decision, write_file

pytestmark = pytest.mark.usefixtures("git_identity")

HEAVY = ("pydantic", "yaml", "libcst", "grimp", "importlinter", "multiprocessing")
# Standard-library modules a clean hook does without (start-up, third pass): OpenSSL
# (digests.py uses CPython's builtin sha1/sha256/blake2b), TOML (the configuration's
# reading is kept, source/parsed.py), shutil and its compressors (argparse's terminal
# width, cli.CharterFormatter), difflib (did-you-mean, errors only), pkgutil (a kind's
# module is found by name), and what grimp's own __init__ imports (rustgrimp.py).
STDLIB_UNUSED = (
    "_hashlib",
    "hashlib",
    "tomllib",
    "string",
    "shutil",
    "bz2",
    "lzma",
    "zlib",
    "difflib",
    "pkgutil",
    "logging",
    "traceback",
    "textwrap",
    "datetime",  # a waiver's until= is dated only where one is written (waivers.py)
)
# And of the commit's hooks (the Claude hook reads its JSON on stdin): the compiled
# decisions are kept with marshal, the baseline is read only when there is one.
HOOKS_UNUSED = (*STDLIB_UNUSED, "json")

CHECK_STAGED = {
    "charter.hooks",
    "charter.hooks.baseline",
    "charter.hooks.cli",
    "charter.hooks.commands",
    "charter.hooks.commands.check",
    "charter.hooks.commands.options",
    "charter.hooks.constraint",
    "charter.hooks.constraint.active",
    "charter.hooks.decisions",
    "charter.hooks.decisions.compile",
    "charter.hooks.diagnostics",
    "charter.hooks.engine",
    "charter.hooks.errors",
    "charter.hooks.findings",
    "charter.hooks.globs",
    "charter.hooks.host_approvals",
    "charter.hooks.kinds",
    "charter.hooks.kinds.examples",
    "charter.hooks.kinds.import_rules",
    "charter.hooks.kinds.kind",
    "charter.hooks.kinds.patterns",
    "charter.hooks.message",
    "charter.hooks.methods",
    "charter.hooks.report",
    "charter.hooks.report.text",
    "charter.hooks.resolve",
    "charter.hooks.settings",
    "charter.hooks.source",
    "charter.hooks.source.atomic",
    "charter.hooks.source.batch",
    "charter.hooks.source.cache",
    "charter.hooks.source.changes",
    "charter.hooks.source.early",
    "charter.hooks.source.facts",
    "charter.hooks.source.files",
    "charter.hooks.source.listing",
    "charter.hooks.source.git",
    "charter.hooks.source.graph",
    "charter.hooks.source.markers",
    "charter.hooks.source.modules",
    "charter.hooks.source.native",
    "charter.hooks.source.requirements",
    "charter.hooks.source.results",
    "charter.hooks.source.snapshot",
    "charter.hooks.source.table",
    "charter.hooks.tomlfile",
    "charter.hooks.verdict",
    "charter.hooks.view",
    "charter.hooks.waivers",
    # Since the import-linter parity, hostile-input and actionable-findings work: the
    # kinds' topics, the bounded regex/plugin runners and the text decoder, all
    # small standard-library modules (none of HEAVY).
    "charter.hooks.edges",
    "charter.hooks.kinds.topics",
    "charter.hooks.plugincall",
    "charter.hooks.source.names",
    "charter.hooks.source.paths",
    "charter.hooks.source.rufftool",
    "charter.hooks.source.text",
    "charter.hooks.timer",
    "charter.hooks.userregex",
    # Start-up, third pass: the digests without OpenSSL, the configuration's kept
    # reading, grimp's scanner without grimp's start-up (for a commit of large files).
    "charter.hooks.digests",
    "charter.hooks.source.parsed",
    "charter.hooks.source.rustgrimp",
    "charter.hooks.lazyre",
}
# The kinds in force, and no other: the registry imports a kind's module when the
# kind is first asked for (FORBID below holds a forbid-import and a banned-api rule).
CHECK_STAGED |= {"charter.hooks.kinds.forbid_import", "charter.hooks.kinds.banned_api"}
# The commit-msg hook judges the change, not the snapshot: no engine, view or import
# graph, and of governance only what a commit of code needs (new waivers, the approvers,
# the checks that are a team's own code); the decisions are compared, and the modules a
# rule names resolved, only when the change touches them (``governance.weakenings``).
COMMIT_MSG = {
    "charter.hooks",
    "charter.hooks.baseline",
    "charter.hooks.cli",
    "charter.hooks.commands",
    "charter.hooks.commands.commit_msg",
    "charter.hooks.commands.options",
    "charter.hooks.constraint",
    "charter.hooks.constraint.active",
    "charter.hooks.decisions",
    "charter.hooks.decisions.compile",
    "charter.hooks.errors",
    "charter.hooks.findings",
    "charter.hooks.globs",
    "charter.hooks.governance",
    "charter.hooks.governance.approvals",
    "charter.hooks.governance.growth",
    "charter.hooks.governance.hook_config",
    "charter.hooks.governance.plugins",
    "charter.hooks.governance.settings_files",
    "charter.hooks.governance.weakening",
    "charter.hooks.message",
    "charter.hooks.methods",
    "charter.hooks.report",
    "charter.hooks.report.text",
    "charter.hooks.settings",
    "charter.hooks.source",
    "charter.hooks.source.atomic",
    "charter.hooks.source.cache",
    "charter.hooks.source.changes",
    "charter.hooks.source.early",
    "charter.hooks.source.facts",
    "charter.hooks.source.files",
    "charter.hooks.source.git",
    "charter.hooks.source.listing",
    "charter.hooks.source.markers",
    "charter.hooks.source.snapshot",
    "charter.hooks.tomlfile",
    "charter.hooks.verdict",
    "charter.hooks.waivers",
    # The registry, and the kinds in force with what they build on: a kind says whether
    # it judges a change (``protected``, ``co-change``) only once its module is imported.
    "charter.hooks.kinds",
    "charter.hooks.kinds.kind",
    "charter.hooks.kinds.examples",
    "charter.hooks.kinds.topics",
    "charter.hooks.kinds.import_rules",
    "charter.hooks.source.graph",
    "charter.hooks.source.modules",
    "charter.hooks.source.table",
    "charter.hooks.digests",
    "charter.hooks.source.parsed",
    "charter.hooks.source.rustgrimp",
    "charter.hooks.lazyre",
}
COMMIT_MSG |= {"charter.hooks.kinds.forbid_import", "charter.hooks.kinds.banned_api"}

CLAUDE_HOOK_EXTRA = {
    "charter.hooks.agents",
    "charter.hooks.agents.change",
    "charter.hooks.agents.claude_hook",
    "charter.hooks.commands.hook",
}

FORBID = decision(
    "ADR-0001",
    extra="""
    constraints:
      - kind: forbid-import
        from: [app.api]
        to: [app.db]
      - kind: banned-api
        names: [pickle.loads]
    """,
)


def _imported(root: Path, *args: str, stdin: str = "") -> tuple[int, list[str]]:
    """Exit code and the modules imported by ``charter ARGS`` in a fresh interpreter."""
    code = (
        "import sys\n"
        "from charter.hooks.cli import main\n"
        f"status = main({list(args)!r})\n"
        "modules = sorted(sys.modules)\n"
        "import json\n"  # after: the hook's own imports are what is listed
        "print(json.dumps([status, modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, input=stdin, capture_output=True, text=True
    )
    status, modules = json.loads(result.stdout.splitlines()[-1])
    return status, modules


def _charter(modules: list[str]) -> set[str]:
    return {m for m in modules if m.startswith("charter.")}


def _heavy(modules: list[str], unused: tuple[str, ...] = HOOKS_UNUSED) -> list[str]:
    """The heavy packages and the standard-library modules a clean hook must not import."""
    return sorted({m.split(".")[0] for m in modules} & {*HEAVY, *unused})


def test_a_clean_commit_imports_only_the_hot_path(repo: Path) -> None:
    for package in ("app", "app/api", "app/db"):
        write_file(repo, f"{package}/__init__.py")
    write_file(repo, "app/db/models.py", "TABLE = 'invoices'\n")
    write_file(repo, "app/api/views.py", "import json\n")
    write_decision(repo, "0001-api-db.md", FORBID)
    commit_all(repo, "initial")
    msg = repo / ".git" / "COMMIT_EDITMSG"
    msg.write_text("Tidy the views\n", encoding="utf-8")
    write_file(repo, "app/api/views.py", "import json\n\nVALUE = json.dumps([])\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    # The first runs compile the decisions and fill the caches, as the first commit does.
    _imported(repo, "check", "--staged")
    _imported(repo, "commit-msg", str(msg))

    write_file(repo, "app/api/views.py", "import json\n\nVALUE = json.dumps([1])\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    status, modules = _imported(repo, "check", "--staged")
    assert status == 0
    assert _heavy(modules) == []
    assert _charter(modules) <= CHECK_STAGED, " ".join(sorted(_charter(modules) - CHECK_STAGED))

    status, modules = _imported(repo, "commit-msg", str(msg))
    assert status == 0
    assert _heavy(modules) == []
    assert _charter(modules) <= COMMIT_MSG, " ".join(sorted(_charter(modules) - COMMIT_MSG))
    # Nothing of the snapshot's judgement: the engine, its view, the module resolution.
    assert not {"charter.hooks.engine", "charter.hooks.view", "charter.hooks.resolve"} & set(
        modules
    )
    assert "charter.hooks.journal" not in modules  # the journal is off unless configured


def test_the_claude_hook_on_a_clean_edit_imports_only_the_hot_path(repo: Path) -> None:
    for package in ("app", "app/api", "app/db"):
        write_file(repo, f"{package}/__init__.py")
    write_file(repo, "app/db/models.py", "TABLE = 'invoices'\n")
    views = write_file(repo, "app/api/views.py", "import json\n")
    write_decision(repo, "0001-api-db.md", FORBID)
    commit_all(repo, "initial")

    def edit(new: str) -> str:
        old = views.read_text(encoding="utf-8")
        tool_input = {"file_path": str(views), "old_string": old, "new_string": new}
        return json.dumps({"tool_name": "Edit", "cwd": str(repo), "tool_input": tool_input})

    _imported(repo, "hook", "claude", stdin=edit("import json\nX = 1\n"))  # fills the caches
    status, modules = _imported(repo, "hook", "claude", stdin=edit("import json\nX = 2\n"))
    assert status == 0
    assert _heavy(modules, STDLIB_UNUSED) == []
    allowed = CHECK_STAGED | COMMIT_MSG | CLAUDE_HOOK_EXTRA
    assert _charter(modules) <= allowed, " ".join(sorted(_charter(modules) - allowed))
    assert "charter.hooks.decisions.load" not in modules  # the compiled decisions


def test_a_fix_uses_libcst_without_its_codemod_framework(repo: Path) -> None:
    """``libcst.codemod`` imports ``libcst.matchers`` (~0.2 s): most of a one-line fix."""
    write_file(repo, "app/__init__.py")
    write_file(repo, "app/clock.py", "def now(): ...\n")
    write_file(repo, "app/stamps.py", "import datetime\n\nX = datetime.datetime.now()\n")
    clock = (
        "  - kind: banned-api\n    names: [datetime.datetime.now]\n    replacement: app.clock.now"
    )
    write_decision(repo, "0001-clock.md", decision("ADR-0001", extra=f"constraints:\n{clock}"))
    status, modules = _imported(repo, "fix", "app/stamps.py")
    assert status == 1
    assert (repo / "app/stamps.py").read_text() == "from app.clock import now\n\nX = now()\n"
    assert "libcst" in modules
    assert not {"libcst.codemod", "libcst.matchers"} & set(modules)


def test_the_hot_paths_records_have_docstrings() -> None:
    """``dataclasses`` calls ``inspect.signature`` (~0.1 ms) for a record without one."""
    import dataclasses
    import importlib
    import inspect

    missing = []
    for name in sorted(CHECK_STAGED | COMMIT_MSG | CLAUDE_HOOK_EXTRA):
        module = importlib.import_module(name)
        records = [
            value
            for value in vars(module).values()
            if inspect.isclass(value) and dataclasses.is_dataclass(value)
        ]
        missing += [
            f"{name}.{record.__name__}"
            for record in records
            if record.__module__ == name
            and (record.__doc__ or "").startswith(f"{record.__name__}(")  # dataclasses' own
        ]
    assert missing == []
