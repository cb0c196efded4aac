"""``charter agents-md``: the managed block of AGENTS.md / CLAUDE.md, root and per folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.agents import BEGIN, END, write_api_project
from support.repo import Charter, decision, write_decision


@pytest.fixture
def project(repo: Path) -> Path:
    write_api_project(repo)
    write_decision(
        repo, "0003-proposal.md", decision("ADR-0003", status="proposed", title="Use GraphQL")
    )
    return repo


def test_writes_root_and_folder_files_then_is_idempotent(project: Path, charter: Charter) -> None:
    code, out, _ = charter("agents-md", "--root", project)
    assert code == 1  # files changed, like pre-commit's fixers
    assert out.splitlines() == [
        "Writing AGENTS.md",
        "Writing CLAUDE.md",
        "Writing app/api/AGENTS.md",
        "Writing app/api/CLAUDE.md",
    ]
    root = (project / "AGENTS.md").read_text()
    assert root == (project / "CLAUDE.md").read_text()
    assert root.startswith(BEGIN + "\n") and root.endswith(END + "\n")
    assert "### ADR-0001: The API never touches the database" in root
    assert "Do not import app.db from app.api. Instead: call a service." in root
    assert "ADR-0002" not in root and "`app/api/AGENTS.md`" in root
    assert "ADR-0003" not in root  # only accepted decisions
    assert "### ADR-0002: Handlers are thin" in (project / "app/api/AGENTS.md").read_text()

    assert charter("agents-md", "--root", project) == (0, "", "")
    assert charter("agents-md", "--check", "--root", project) == (0, "", "")


def test_text_outside_the_markers_is_never_touched(project: Path, charter: Charter) -> None:
    mine = "# Working here\n\nRun `make test` before you push.\n"
    (project / "AGENTS.md").write_text(mine)
    charter("agents-md", "--root", project)
    text = (project / "AGENTS.md").read_text()
    assert text.startswith(mine + "\n" + BEGIN)

    after = "\n## Notes\nkeep this\n"
    (project / "AGENTS.md").write_text(text + after)
    write_decision(
        project, "0004-new.md", decision("ADR-0004", title="Money is Decimal")
    )  # the block must change
    assert charter("agents-md", "--root", project)[0] == 1
    text = (project / "AGENTS.md").read_text()
    assert text.startswith(mine + "\n" + BEGIN)
    assert text.endswith(END + "\n" + after)
    assert "ADR-0004: Money is Decimal" in text


def test_check_fails_when_out_of_date_and_changes_nothing(project: Path, charter: Charter) -> None:
    charter("agents-md", "--root", project)
    before = (project / "AGENTS.md").read_text()
    (project / "docs/decisions/0001-api-db.md").write_text(
        (project / "docs/decisions/0001-api-db.md").read_text().replace("a service", "a use case")
    )
    code, out, _ = charter("agents-md", "--check", "--root", project)
    assert code == 1
    assert "AGENTS.md is out of date" in out
    assert "run `charter agents-md` and commit the result" in out
    assert (project / "AGENTS.md").read_text() == before


def test_a_folder_block_no_decision_needs_is_removed(project: Path, charter: Charter) -> None:
    (project / "app/api/CLAUDE.md").parent.mkdir(parents=True, exist_ok=True)
    charter("agents-md", "--root", project)
    (project / "app/api/CLAUDE.md").write_text(
        "Hand-written notes.\n\n" + (project / "app/api/CLAUDE.md").read_text()
    )
    (project / "docs/decisions/0002-api-style.md").unlink()
    code, out, _ = charter("agents-md", "--root", project)
    assert code == 1
    assert "Removing the block of app/api/AGENTS.md" in out
    assert not (project / "app/api/AGENTS.md").exists()  # nothing else was in it
    assert (project / "app/api/CLAUDE.md").read_text() == "Hand-written notes.\n"


def test_broken_markers_are_an_error_with_file_and_line(project: Path, charter: Charter) -> None:
    (project / "AGENTS.md").write_text(f"intro\n{BEGIN}\nhalf a block\n")
    code, _, err = charter("agents-md", "--root", project)
    assert code == 2
    assert "AGENTS.md:2: the Charter markers are broken" in err
    assert (project / "AGENTS.md").read_text() == f"intro\n{BEGIN}\nhalf a block\n"
