"""Findings an agent can act on: one per new import edge, capped output, a compact hook."""

from __future__ import annotations

from pathlib import Path

from charter.hooks.agents.claude_hook import message
from charter.hooks.edges import by_edge
from charter.hooks.findings import Finding
from charter.hooks.report import Report
from charter.hooks.report.text import render
from tests.support.repo import (
    Charter,
    commit_all,
    decision,
    git,
    make_repo,
    write_decision,
    write_file,
)

TRANSITIVE = decision(
    "ADR-0001",
    extra=(
        "constraints:\n"
        "  - kind: independent\n"
        "    modules: [app.a, app.b, app.c, app.d]\n"
        "    transitive: true\n"
        "    remedy: Share through app.common only what needs none of them.\n"
    ),
)


def _finding(path: str, chain: tuple[str, ...], constraint: str = "ADR-0001/1") -> Finding:
    return Finding(
        decision=constraint.partition("/")[0],
        constraint=constraint,
        kind="forbid-import",
        path=path,
        line=1,
        col=1,
        message="imports app.high indirectly",
        key=chain[-1],
        remedy="Pass it down.",
        source="docs/decisions/0001.md",
        chain=chain,
    )


def test_chains_through_one_new_import_are_one_finding_at_that_import() -> None:
    modules = {
        "app.low.x": "app/low/x.py",
        "app.low.y": "app/low/y.py",
        "app.low.s": "app/low/s.py",
    }
    found = [
        _finding("app/low/x.py", ("app.low.x:1", "app.low.s:3", "app.high")),
        _finding("app/low/y.py", ("app.low.y:2", "app.low.s:3", "app.high")),
    ]
    [merged] = by_edge(found, modules)
    assert (merged.path, merged.line) == ("app/low/s.py", 3)
    assert merged.chain == ("app.low.s:3", "app.high")
    assert merged.message.endswith("opens the chain below and 1 other like it")


def test_chains_of_different_rules_or_imports_stay_apart() -> None:
    found = [
        _finding("a.py", ("a:1", "b:2", "c")),
        _finding("d.py", ("d:1", "e:2", "c")),
        _finding("f.py", ("f:1", "b:2", "c"), constraint="ADR-0002/1"),
    ]
    assert len(by_edge(found, {})) == 3


def test_one_new_import_in_a_shared_module_is_reported_in_the_changed_file(
    tmp_path: Path, charter: Charter
) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, "app/__init__.py")
    write_file(root, "app/common.py", "X = 1\n")
    write_file(root, "app/d.py", "Y = 2\n")
    for name in ("a", "b", "c"):
        write_file(root, f"app/{name}.py", "from app import common\n")
    write_decision(root, "0001-independent.md", TRANSITIVE)
    commit_all(root)
    write_file(root, "app/common.py", "import app.d\nX = 1\n")
    git(root, "add", "-A")
    code, out, _ = charter("check", "--staged", "--root", root)
    assert code == 1
    located = [line.split(":")[0] for line in out.splitlines() if line.startswith("app/")]
    assert located == ["app/common.py"], out
    assert "and 2 others like it" in out


def test_text_output_is_capped_with_a_count_of_the_rest() -> None:
    found = [_finding(f"app/m{n:02d}.py", (f"m{n}:1", "app.high")) for n in range(60)]
    text = render(Report(findings=tuple(found)))
    assert text.count("ADR-0001 [forbid-import]") == 50
    assert "…and 10 more in 10 files (--format json lists them all)" in text


def test_the_claude_hook_message_is_short_for_a_one_line_edit() -> None:
    found = [_finding(f"app/m{n}.py", (f"app.m{n}:1", "app.high")) for n in range(8)]
    text = message(found, "app/m7.py", "Edit")
    assert text.splitlines()[1].startswith("app/m7.py:1:1:")  # the edited file first
    assert text.count("remedy: Pass it down.") == 1
    assert "…and 3 more" in text
    assert len(text.encode()) < 1200
