"""``charter context``: which decisions an agent is told about, in what order, in what words."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.repo import EXAMPLES, Charter, decision, write_decision, write_file

EVAL_SET = EXAMPLES / "storefront" / "retrieval-eval.yaml"
RECALL_AT_5_FLOOR = 0.87  # measured 0.872 when the set was labelled; never lower it to pass


@pytest.fixture
def shop(repo: Path) -> Path:
    """A src-layout app with api, services, db and five decisions of different reach."""
    for package in ("app", "app/api", "app/services", "app/db"):
        write_file(repo, f"src/{package}/__init__.py")
    write_file(repo, "src/app/api/views.py", "X = 1\n")
    write_file(repo, "src/app/db/models.py", "X = 1\n")
    write_file(repo, "src/app/services/billing.py", "X = 1\n")
    write_file(repo, "migrations/0001_init.sql", "CREATE TABLE t (id int);\n")
    write_decision(
        repo,
        "0001-api-db.md",
        decision(
            "ADR-0001",
            title="The API reaches storage only through repositories",
            extra="""
            tags: [layering]
            constraints:
              - kind: forbid-import
                from: app.api
                to: app.db
                message: Route handlers must not touch the database directly.
                remedy: Inject a repository from app.repositories.
            """,
        ),
    )
    write_decision(
        repo,
        "0002-money.md",
        decision(
            "ADR-0002",
            title="Amounts are Decimal, never float",
            extra="""
            tags: [money]
            constraints:
              - kind: banned-api
                names: [builtins.float]
                remedy: Use decimal.Decimal.
            """,
        )
        + "Invoice totals and tax amounts are computed with Decimal.\n",
    )
    write_decision(
        repo,
        "0003-migrations.md",
        decision(
            "ADR-0003",
            title="Applied migrations are never edited",
            extra="""
            constraints:
              - kind: protected
                paths: ["migrations/0001_*.sql"]
            """,
        ),
    )
    write_decision(
        repo,
        "0004-proposed.md",
        decision(
            "ADR-0004",
            status="proposed",
            title="Services log with structlog",
            extra='scope: ["src/app/services/**"]',
        ),
    )
    write_decision(
        repo,
        "0005-old.md",
        decision("ADR-0005", title="Services may query the database", extra='scope: ["src/**"]'),
    )
    write_decision(
        repo,
        "0006-new.md",
        decision(
            "ADR-0006",
            title="Services use repositories",
            extra='supersedes: [ADR-0005]\nscope: ["src/app/services/**"]',
        ),
    )
    write_decision(
        repo,
        "0007-rejected.md",
        decision("ADR-0007", status="rejected", title="Services use raw SQL"),
    )
    return repo


def ids(output: str) -> list[str]:
    return [d["id"] for d in json.loads(output)["decisions"]]


def test_a_path_under_the_module_gets_the_import_rule_first(shop: Path, charter: Charter) -> None:
    code, out, err = charter("context", "--root", shop, "--format", "json", "src/app/api/views.py")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["schema"] == "charter-context/1"
    # ADR-0001 names app.api (module-level match); ADR-0002 covers every Python file.
    assert ids(out) == ["ADR-0001", "ADR-0002"]
    assert [d["reason"] for d in document["decisions"]] == ["path", "every-file"]


def test_a_folder_matches_like_its_files_and_scopes_and_status_are_honoured(
    shop: Path, charter: Charter
) -> None:
    code, out, _ = charter("context", "--root", shop, "--format", "json", "src/app/services/")
    assert code == 0
    found = {d["id"]: d for d in json.loads(out)["decisions"]}
    # Scoped to services: the accepted ADR-0006 and the proposed ADR-0004, marked as such.
    assert {"ADR-0004", "ADR-0006"} <= set(found)
    assert found["ADR-0004"]["status"] == "proposed"
    # Superseded and rejected decisions are not in force and never shown.
    assert "ADR-0005" not in found and "ADR-0007" not in found
    # The API rule is not about services.
    assert "ADR-0001" not in found


def test_protected_paths_match_by_glob(shop: Path, charter: Charter) -> None:
    _, out, _ = charter("context", "--root", shop, "--format", "json", "migrations/0001_init.sql")
    assert ids(out) == ["ADR-0003"]


def test_the_task_ranks_by_bm25_after_the_paths(shop: Path, charter: Charter) -> None:
    _, out, _ = charter(
        "context",
        "--root",
        shop,
        "--format",
        "json",
        "--task",
        "compute the invoice tax amount",
        "src/app/api/views.py",
    )
    assert ids(out)[0] == "ADR-0001"  # the path match stays first
    _, out, _ = charter(
        "context", "--root", shop, "--format", "json", "--task", "compute invoice tax amounts"
    )
    document = json.loads(out)
    assert ids(out) == ["ADR-0002"]
    assert document["decisions"][0]["reason"] == "task"
    assert document["decisions"][0]["score"] > 0


def test_equal_scores_are_ordered_by_id(repo: Path, charter: Charter) -> None:
    for ident in ("ADR-0009", "ADR-0003", "ADR-0005"):
        write_decision(repo, f"{ident}.md", decision(ident, title="Cache responses"))
    _, out, _ = charter("context", "--root", repo, "--format", "json", "--task", "cache")
    assert ids(out) == ["ADR-0003", "ADR-0005", "ADR-0009"]


def test_markdown_states_each_constraint_as_an_instruction(shop: Path, charter: Charter) -> None:
    code, out, _ = charter("context", "--root", shop, "src/app/api/views.py")
    assert code == 0
    assert "## ADR-0001: The API reaches storage only through repositories" in out
    assert "`docs/decisions/0001-api-db.md`" in out
    assert (
        "- Do not import app.db from app.api. Route handlers must not touch the database "
        "directly. Instead: inject a repository from app.repositories." in out
    )
    assert "- Do not use builtins.float. Instead: use decimal.Decimal." in out


def test_top_and_budget_keep_the_output_short_and_say_what_was_left_out(
    shop: Path, charter: Charter
) -> None:
    _, out, _ = charter("context", "--root", shop, "--top", "1", "src/app/api/views.py")
    assert "## ADR-0001" in out and "## ADR-0002" not in out
    assert "1 more decision(s) match with a lower rank: ADR-0002" in out

    _, full, _ = charter("context", "--root", shop, "src/app/api/views.py")
    budget = len(full.split()) - 5
    _, out, _ = charter("context", "--root", shop, "--budget", str(budget), "src/app/api/views.py")
    body = out.split("Also in force")[0]
    assert len(body.split()) <= budget
    assert "## ADR-0001" in out and "## ADR-0002" not in out
    assert "left out to fit" in out and "ADR-0002" in out


def test_nothing_applies_says_so(shop: Path, charter: Charter) -> None:
    code, out, _ = charter("context", "--root", shop, "README.txt")
    assert code == 0
    assert "No decision applies" in out


def test_a_path_outside_the_repository_is_a_usage_error(shop: Path, charter: Charter) -> None:
    code, _, err = charter("context", "--root", shop, "/definitely/elsewhere.py")
    assert code == 2
    assert "not inside the repository" in err


def _context(*args: str, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    result = subprocess.run(
        [sys.executable, "-m", "charter.hooks", "context", *args],
        capture_output=True,
        env=env,
        timeout=120,
        check=True,
    )
    return result.stdout


@pytest.mark.parametrize("output", ["md", "json"])
def test_same_input_same_bytes_across_processes(output: str) -> None:
    root = str(EXAMPLES / "storefront")
    args = (
        "--root",
        root,
        "--format",
        output,
        "--task",
        "capture the payment and email the customer",
        f"{root}/src/storefront/services/checkout.py",
        f"{root}/src/storefront/api/",
    )
    first = _context(*args, seed="1")
    assert first == _context(*args, seed="1")
    assert first == _context(*args, seed="4242")
    assert b"SF-0006" in first


def test_the_labelled_set_is_big_enough_and_recall_holds() -> None:
    from charter.hooks.agents.evaluate import evaluate, read_set

    _, queries = read_set(EVAL_SET)
    assert len(queries) >= 40
    metrics = evaluate(EVAL_SET)
    assert metrics.decisions >= 15
    assert len({d for q in queries for d in q.relevant}) >= 15
    assert metrics.recall_at_5 >= RECALL_AT_5_FLOOR, metrics


def test_evaluate_prints_the_three_numbers(charter: Charter) -> None:
    code, out, _ = charter("context", "--evaluate", EVAL_SET)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("45 queries over 21 decisions")
    assert [line.split()[0] for line in lines[1:]] == ["recall@3", "recall@5", "precision@3"]
