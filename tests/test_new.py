"""``charter new "Title"``: the next MADR 4 record, valid on the spot, never overwriting."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from support.repo import Charter, decision, write_decision

from charter.hooks.decisions.model import Decision


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    assert isinstance(data, dict)
    return data


def test_the_first_record_of_a_new_repository(repo: Path, charter: Charter) -> None:
    code, out, err = charter("new", "--root", repo, "Use repositories for storage")
    assert (code, err) == (0, "")
    path = repo / "docs/decisions/0001-use-repositories-for-storage.md"
    assert out.splitlines()[0] == f"Writing {path.relative_to(repo).as_posix()} (ADR-0001)"
    assert "charter explain ADR-0001" in out
    data = front_matter(path)
    assert data["id"] == "ADR-0001" and data["status"] == "proposed"
    assert data["title"] == "Use repositories for storage" and data["constraints"] == []
    text = path.read_text()
    for heading in (
        "# ADR-0001: Use repositories for storage",
        "## Context and Problem Statement",
        "## Considered Options",
        "## Decision Outcome",
        "### Confirmation",
    ):
        assert f"\n{heading}\n" in text
    assert charter("validate", "--strict", "--root", repo)[0] == 0


def test_numbering_and_prefix_follow_the_folder(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0007-layers.md", decision("CH-0007"))
    write_decision(repo, "0003-old.md", decision("CH-0003"))
    code, out, _ = charter("new", "--root", repo, "Docs are a site")
    assert code == 0
    assert "docs/decisions/0008-docs-are-a-site.md (CH-0008)" in out
    assert front_matter(repo / "docs/decisions/0008-docs-are-a-site.md")["id"] == "CH-0008"


def test_a_title_yaml_would_misread_is_quoted_and_read_back_exactly(
    repo: Path, charter: Charter
) -> None:
    title = 'Storage: only through "repositories" # always'
    assert charter("new", "--root", repo, title)[0] == 0
    (path,) = (repo / "docs/decisions").glob("0001-*.md")
    assert path.name == "0001-storage-only-through-repositories-always.md"
    assert front_matter(path)["title"] == title
    code, out, _ = charter("validate", "-v", "--root", repo)
    assert code == 0 and title in out


def test_an_existing_title_or_an_empty_one_is_refused(repo: Path, charter: Charter) -> None:
    write_decision(repo, "0001-api.md", decision("ADR-0001", title="API layering"))
    code, _, err = charter("new", "--root", repo, "api  Layering")
    assert code == 2
    assert "docs/decisions/0001-api.md: ADR-0001 already has this title" in err
    assert charter("new", "--root", repo, "  ")[0] == 2
    assert sorted(p.name for p in (repo / "docs/decisions").iterdir()) == ["0001-api.md"]


def test_it_writes_where_the_decisions_are(repo: Path, charter: Charter) -> None:
    (repo / "docs/decisions").rmdir()
    write_decision(repo, "0001-x.md", decision("ADR-0001"), folder="docs/adr")
    assert charter("new", "--root", repo, "Ünïcode façade")[0] == 0
    assert (repo / "docs/adr/0002-unicode-facade.md").is_file()


def test_the_commented_examples_are_valid_constraints(repo: Path, charter: Charter) -> None:
    charter("new", "--root", repo, "Examples")
    text = (repo / "docs/decisions/0001-examples.md").read_text()
    examples = "\n".join(
        line.removeprefix("#   ") for line in text.splitlines() if re.match(r"#   ", line)
    )
    constraints = yaml.safe_load(examples)
    assert [c["kind"] for c in constraints] == ["forbid-import", "banned-api"]
    Decision.model_validate(
        {"id": "ADR-1", "title": "t", "status": "accepted", "constraints": constraints}
    )
