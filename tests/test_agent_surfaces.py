"""``charter agents-md`` for every agent surface: GEMINI.md, Cursor rules, Copilot files.

Each file is checked against its tool's documented format: Cursor's ``.mdc`` rules
(front matter ``description`` string, ``globs`` a comma-separated string, not a YAML
list, ``alwaysApply`` a boolean), Copilot's repository-wide file (plain Markdown) and
path-specific ``.github/instructions/NAME.instructions.md`` (front matter ``applyTo``, a
string of comma-separated globs), Gemini CLI's ``GEMINI.md`` (plain Markdown, per folder).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.agents import BEGIN, END, write_api_project
from support.repo import REPO, Charter, write_file

from charter.hooks.globs import GlobSet

ALL = '[tool.charter]\nagent_files = ["agents", "claude", "gemini", "cursor", "copilot"]\n'


@pytest.fixture
def project(repo: Path) -> Path:
    (repo / "pyproject.toml").write_text((repo / "pyproject.toml").read_text() + ALL)
    return write_api_project(repo)


def front_matter(text: str) -> tuple[dict[str, Any], list[str], str]:
    """The parsed front matter, its raw lines, and the body after it."""
    assert text.startswith("---\n")
    raw, body = text[4:].split("\n---\n", 1)
    parsed = yaml.safe_load(raw)
    assert isinstance(parsed, dict)
    return parsed, raw.splitlines(), body


def test_every_surface_is_written_then_idempotent(project: Path, charter: Charter) -> None:
    code, out, _ = charter("agents-md", "--root", project)
    assert code == 1
    assert sorted(line.removeprefix("Writing ") for line in out.splitlines()) == [
        ".cursor/rules/charter-app-api.mdc",
        ".cursor/rules/charter.mdc",
        ".github/copilot-instructions.md",
        ".github/instructions/charter-app-api.instructions.md",
        "AGENTS.md",
        "CLAUDE.md",
        "GEMINI.md",
        "app/api/AGENTS.md",
        "app/api/CLAUDE.md",
        "app/api/GEMINI.md",
    ]
    assert charter("agents-md", "--root", project) == (0, "", "")
    assert charter("agents-md", "--check", "--root", project) == (0, "", "")


def test_cursor_rules_follow_the_mdc_format(project: Path, charter: Charter) -> None:
    charter("agents-md", "--root", project)
    meta, _, body = front_matter((project / ".cursor/rules/charter.mdc").read_text())
    assert set(meta) == {"description", "alwaysApply"}
    assert meta["alwaysApply"] is True and isinstance(meta["description"], str)
    assert "### ADR-0001: The API never touches the database" in body
    assert "ADR-0002" not in body.split("Decisions scoped")[0]
    assert "`.cursor/rules/charter-app-api.mdc`" in body

    meta, raw, body = front_matter((project / ".cursor/rules/charter-app-api.mdc").read_text())
    assert set(meta) == {"description", "globs", "alwaysApply"}
    assert meta["alwaysApply"] is False
    (globs_line,) = [line for line in raw if line.startswith("globs:")]
    assert not re.search(r"[\[\]\"']", globs_line), "globs is a plain comma-separated string"
    globs = [g.strip() for g in meta["globs"].split(",")]
    assert GlobSet(globs).match("app/api/routes.py")
    assert not GlobSet(globs).match("app/db/tables.py")
    assert "### ADR-0002: Handlers are thin" in body and BEGIN in body and END in body


def test_copilot_files_follow_the_documented_format(project: Path, charter: Charter) -> None:
    charter("agents-md", "--root", project)
    wide = (project / ".github/copilot-instructions.md").read_text()
    assert not wide.startswith("---")  # repository-wide instructions: plain Markdown
    assert "### ADR-0001" in wide
    assert "`.github/instructions/charter-app-api.instructions.md`" in wide

    path = project / ".github/instructions/charter-app-api.instructions.md"
    assert path.name.endswith(".instructions.md")
    meta, _, body = front_matter(path.read_text())
    assert set(meta) == {"applyTo"} and isinstance(meta["applyTo"], str)
    globs = [g.strip() for g in meta["applyTo"].split(",")]
    assert GlobSet(globs).match("app/api/v1/orders.py")
    assert not GlobSet(globs).match("app/db/tables.py")
    assert "### ADR-0002: Handlers are thin" in body


def test_gemini_md_is_written_per_folder_like_agents_md(project: Path, charter: Charter) -> None:
    charter("agents-md", "--root", project)
    root = (project / "GEMINI.md").read_text()
    assert root.startswith(BEGIN) and "`app/api/GEMINI.md`" in root
    assert root.replace("GEMINI.md", "AGENTS.md") == (project / "AGENTS.md").read_text()
    assert "### ADR-0002: Handlers are thin" in (project / "app/api/GEMINI.md").read_text()


def test_a_surface_turned_off_loses_its_files_and_blocks(project: Path, charter: Charter) -> None:
    charter("agents-md", "--root", project)
    write_file(project, ".cursor/rules/team.mdc", "---\nalwaysApply: true\n---\nBe kind.\n")
    gemini = (project / "GEMINI.md").read_text()
    (project / "GEMINI.md").write_text("# Our notes\n\n" + gemini)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"gemini", "cursor", ', ""))
    code, out, _ = charter("agents-md", "--root", project)
    assert code == 1
    assert not (project / ".cursor/rules/charter.mdc").exists()
    assert not (project / ".cursor/rules/charter-app-api.mdc").exists()
    assert (project / ".cursor/rules/team.mdc").read_text().endswith("Be kind.\n")
    assert (project / "GEMINI.md").read_text() == "# Our notes\n"
    assert not (project / "app/api/GEMINI.md").exists()
    assert "Removing the block of .cursor/rules/charter.mdc" in out


def test_a_scoped_decision_removed_deletes_its_rule_files(project: Path, charter: Charter) -> None:
    charter("agents-md", "--root", project)
    (project / "docs/decisions/0002-api-style.md").unlink()
    assert charter("agents-md", "--root", project)[0] == 1
    assert not (project / ".cursor/rules/charter-app-api.mdc").exists()
    assert not (project / ".github/instructions/charter-app-api.instructions.md").exists()
    assert "Decisions scoped" not in (project / ".github/copilot-instructions.md").read_text()


def test_a_file_of_the_users_where_charter_writes_is_an_error(
    project: Path, charter: Charter
) -> None:
    write_file(project, ".cursor/rules/charter.mdc", "---\nalwaysApply: true\n---\nMine.\n")
    code, _, err = charter("agents-md", "--root", project)
    assert code == 2
    assert ".cursor/rules/charter.mdc: this file is not Charter's" in err
    assert (project / ".cursor/rules/charter.mdc").read_text().endswith("Mine.\n")


def test_an_unknown_agent_file_is_a_setting_error(project: Path, charter: Charter) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('"cursor"', '"cursr"'))
    code, _, err = charter("agents-md", "--root", project)
    assert code == 2
    assert "agent_files: 'cursr' is not an agent file (did you mean 'cursor'?)" in err


def test_the_hook_runs_when_any_agent_file_changes() -> None:
    manifest = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in manifest if h["id"] == "charter-agents-md"]
    for path in (
        "AGENTS.md",
        "app/api/CLAUDE.md",
        "GEMINI.md",
        ".cursor/rules/charter-app-api.mdc",
        ".github/copilot-instructions.md",
        ".github/instructions/charter-app-api.instructions.md",
        "docs/decisions/0001-x.md",
    ):
        assert re.search(hook["files"], path), path
