"""Adoption points in history back-tests: a decision with ``adopted:`` is in force only
for the tasks after that point, and each such rule's recurrence is reported."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from support.simkit import ORACLE, commit_files, tiny_history, write

from charter.hooks.errors import CharterError
from charter.simulator import adoption, results
from charter.simulator.imports import history
from charter.simulator.replay import RunConfig, run_unit
from charter.simulator.report import html, text
from charter.simulator.sandbox.local import LocalBackend
from charter.simulator.scenario import Task

pytestmark = pytest.mark.sim

API_DB = "from app import db, service\n\n\ndef handler():\n    return db.query()\n"
API_OK = "from app import service\n\n\ndef handler():\n    return service.rows()\n"


def _guarded(adopted: str) -> str:
    return ORACLE.replace("status: accepted\n", f"status: accepted\nadopted: '{adopted}'\n")


def test_a_rule_adopted_at_the_fix_blocks_only_the_later_recurrence(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    start = tiny_history(repo)
    commit_files(repo, {"src/app/api.py": API_DB}, "api reads the db")
    fix = commit_files(repo, {"src/app/api.py": API_OK}, "fix: the api goes through the service")
    commit_files(repo, {"src/app/api.py": API_DB}, "api reads the db again")
    commit_files(repo, {"src/app/db.py": "def query():\n    return [1, 2, 3]\n"}, "more rows")
    write(tmp_path / "oracle", {"0001-layers.md": ORACLE})
    scenario, _ = history.import_history(
        repo, f"{start}..main", tmp_path / "s", tmp_path / "oracle"
    )
    assert [t.commit for t in scenario.tasks][1] == fix
    write(scenario.folder / "constraints" / "repo", {"0001-layers.md": _guarded(fix[:12])})

    unit = run_unit(scenario, "repo", 0, RunConfig(), LocalBackend())
    run = unit.run
    assert run.infra_errors == ()
    # Before the fix the rule did not exist: the first violation lands (and escapes);
    # after it, the same violation is blocked and the task abandoned.
    assert [t.outcome for t in run.tasks] == ["landed", "landed", "abandoned", "landed"]
    assert run.tasks[0].attempts[0].escaped
    counts = run.recurrence["ADR-1"]
    assert counts.adopted_at == scenario.tasks[2].id
    assert (counts.tasks_before, counts.before, counts.landed_before) == (2, 1, 1)
    assert (counts.tasks_after, counts.after, counts.landed_after) == (2, 1, 0)

    document = results.document([unit], _settings(), _environment())
    assert "ADR-1: before 1 of 2 tasks (50%), 1 landed; after 1 of 2 tasks (50%), 0 landed" in (
        text.summary(document)
    )
    page = html.render(document)
    assert "<h2>Recurrence per rule</h2>" in page and "ADR-1" in page
    path = tmp_path / "results.json"
    results.write_results(path, document)
    assert results.load(path).runs[0].recurrence == run.recurrence


def test_without_adoption_points_runs_write_no_recurrence(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    start = tiny_history(repo)
    commit_files(repo, {"src/app/api.py": API_DB}, "api reads the db")
    write(tmp_path / "oracle", {"0001-layers.md": ORACLE})
    scenario, _ = history.import_history(
        repo, f"{start}..main", tmp_path / "s", tmp_path / "oracle"
    )
    write(scenario.folder / "constraints" / "repo", {"0001-layers.md": ORACLE})
    run = run_unit(scenario, "repo", 0, RunConfig(), LocalBackend()).run
    assert [t.outcome for t in run.tasks] == ["abandoned"]
    data = run.as_json()
    assert "recurrence" not in data and "guards" not in data["tasks"][0]["attempts"][0]


def _task(ident: str, commit: str, date: str) -> Task:
    return Task(ident, "", (), commit=commit, date=datetime.date.fromisoformat(date))


def test_adoption_by_date_and_by_commit(tmp_path: Path) -> None:
    tasks = (
        _task("t1", "aaaaaaa1", "2024-04-12"),
        _task("t2", "bbbbbbb2", "2024-04-13"),
        _task("t3", "ccccccc3", "2024-04-16"),
    )
    by_date = adoption.Adopted(tmp_path / "a.md", "A", datetime.date(2024, 4, 13))
    by_commit = adoption.Adopted(tmp_path / "b.md", "B", "bbbbbbb")
    always = adoption.Adopted(tmp_path / "c.md", "C", None)
    points = (by_date, by_commit, always)
    assert [p.decision for p in adoption.in_force(points, tasks, 0)] == ["C"]
    assert [p.decision for p in adoption.in_force(points, tasks, 1)] == ["A", "C"]
    assert [p.decision for p in adoption.in_force(points, tasks, 2)] == ["A", "B", "C"]
    assert adoption.first_in_force(points, tasks) == {"A": "t2", "B": "t3"}
    stranger = adoption.Adopted(tmp_path / "d.md", "D", "0123456789")
    with pytest.raises(CharterError, match=r"d\.md: adopted: 0123456789 is not a commit of"):
        adoption.in_force((stranger,), tasks, 0)
    undated = (Task("t", "", ()),)
    with pytest.raises(CharterError, match="carries no date; import the history again"):
        adoption.in_force((by_date,), undated, 0)


def test_a_commit_id_of_digits_alone_must_be_quoted(tmp_path: Path) -> None:
    # YAML reads 1234567 as a number: the error says to quote it; quoted, it is the id.
    write(tmp_path, {"bare.md": _guarded("x").replace("'x'", "1234567")})
    write(tmp_path, {"quoted.md": _guarded("1234567")})
    (bare,) = _adoption_problems(tmp_path / "bare.md")
    assert "reads a commit id made only of digits as a number; quote it" in bare
    assert adoption.adoption_points(tmp_path)[1].point == "1234567"


def _adoption_problems(path: Path) -> list[str]:
    from charter.hooks.decisions.load import load_file

    return [problem.message for problem in load_file(path, path.name).problems]


def _settings() -> results.SimSettings:
    from charter.simulator.records import PolicySettings

    return results.SimSettings(
        seed=0,
        policy=PolicySettings(name="abandon", p_repair=0.0, p_bypass=0.0),
        agent="replay",
        iterations=None,
        agent_cmd=None,
        max_tries=None,
        sets=("repo",),
        scenarios=("repo",),
        epochs=1,
    )


def _environment() -> results.Environment:
    return results.Environment(sandbox="local", isolates=False, notice="")
