"""``charter sim import swebench``: an independent-mode scenario from agent predictions.

``PREDICTIONS.jsonl`` holds one object per line with ``instance_id``, ``model_patch``
and ``model_name_or_path`` (SWE-bench's format; ``problem_statement`` and
``base_commit`` are used when present). Each prediction becomes a task with one attempt.
The predictions were made without Charter, so they are recorded as ``accepted`` under
the empty set ``none``; the repository's own decisions are the set ``repo``. The oracle
is asked for (``--oracle DIR``), never copied from the set under test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from charter.hooks.errors import CharterError
from charter.simulator import patches, scenario
from charter.simulator.imports.common import (
    ORACLE_NOTE,
    AttemptEntry,
    ScenarioFile,
    TaskEntry,
    copy_oracle,
    export_tree,
    finish,
    git,
    safe_id,
    writing,
)

FIELDS = ("instance_id", "model_patch", "model_name_or_path")


def read(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """The predictions with their line numbers; problems raise, empty patches warn."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CharterError(f"{path}: cannot read the predictions ({exc})") from None
    problems: list[str] = []
    warnings: list[str] = []
    found: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            problems.append(f"{path}:{number}: not a JSON object ({exc.args[0]})")
            continue
        if not isinstance(record, dict):
            problems.append(f"{path}:{number}: expected a JSON object")
            continue
        missing = [f for f in FIELDS if not isinstance(record.get(f), str)]
        if missing:
            problems.append(f"{path}:{number}: missing or not a string: {', '.join(missing)}")
            continue
        if not record["model_patch"].strip():
            warnings.append(f"{path}:{number}: {record['instance_id']}: empty model_patch; skipped")
            continue
        for patch_line, problem in patches.problems(record["model_patch"]):
            problems.append(f"{path}:{number}: model_patch line {patch_line}: {problem}")
        found.append((number, record))
    if problems:
        raise CharterError("invalid predictions:\n  " + "\n  ".join(problems))
    if not found:
        raise CharterError(f"{path}: no prediction with a patch")
    return found, warnings


def import_predictions(
    predictions: Path, repo: Path, out: Path, oracle: Path, name: str | None = None
) -> tuple[scenario.Scenario, list[str]]:
    """Write the scenario into ``out`` (all or nothing); the scenario and warnings.

    ``oracle`` is a folder of decision records given by the user: a copy of the set under
    test would label exactly what that set blocks, so its verdicts would be right by
    construction.
    """
    records, warnings = read(predictions)
    repo = repo.resolve()
    git(repo, "rev-parse", "--verify", "HEAD")
    with writing(out) as folder:
        data = _write(records, predictions, repo, folder, oracle, name)
        readme = (
            f"# {data.name}\n\nImported by `charter sim import swebench` from "
            f"{len(data.tasks)} predictions. Recorded under the empty set `none`; compare it "
            f"with `repo`, the repository's own decisions.\n\n{ORACLE_NOTE}\n"
        )
        finish(folder, data, readme)  # validated before it is moved into place
    return scenario.load(out.absolute()), warnings


def _write(
    records: list[tuple[int, dict[str, Any]]],
    predictions: Path,
    repo: Path,
    out: Path,
    oracle: Path,
    name: str | None,
) -> ScenarioFile:
    from charter.hooks import settings

    decisions = settings.load(repo)[0].decisions
    if not export_tree(repo, "HEAD", out / "constraints" / "repo", decisions):
        (out / "constraints" / "repo").mkdir(parents=True, exist_ok=True)
    copy_oracle(oracle, out / "constraints" / "oracle")
    if _same_records(out / "constraints" / "oracle", out / "constraints" / "repo"):
        raise CharterError(
            f"{oracle}: the oracle is a copy of the repository's decisions (the set `repo` "
            "under test); give an oracle that labels violations independently of it"
        )
    none = out / "constraints" / "none"
    none.mkdir(parents=True)
    (none / "README.md").write_text("The empty set: no decision.\n", encoding="utf-8")
    with_base = any(isinstance(r.get("base_commit"), str) for _, r in records)
    repo_entry: str | dict[str, str] = "repo/"
    if with_base:
        git(repo, "bundle", "create", str(out / "repo.bundle"), "--all")
        repo_entry = {"bundle": "repo.bundle", "rev": "HEAD"}
    else:
        export_tree(repo, "HEAD", out / "repo")
    return ScenarioFile(
        name=name or safe_id(predictions.stem, set()),
        description=f"Imported from {predictions.name} on {repo.name}.",
        repo=repo_entry,
        constraint_sets={"none": "constraints/none/", "repo": "constraints/repo/"},
        recorded_with="none",
        mode="independent",
        tasks=_entries(records, out),
    )


def _same_records(a: Path, b: Path) -> bool:
    def records(folder: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in folder.glob("*.md")}

    return records(a) == records(b)


def _entries(records: list[tuple[int, dict[str, Any]]], out: Path) -> tuple[TaskEntry, ...]:
    """The tasks of scenario.yaml, one per prediction, its patch written into ``out``."""
    taken: set[str] = set()
    tasks: list[TaskEntry] = []
    for _, record in records:
        ident = safe_id(record["instance_id"], taken)
        rel = f"tasks/{ident}/1.diff"
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        patch = record["model_patch"]
        (out / rel).write_text(patch if patch.endswith("\n") else patch + "\n", encoding="utf-8")
        statement = record.get("problem_statement")
        base = record.get("base_commit")
        message = f"{record['model_name_or_path']}: {record['instance_id']}"
        tasks.append(
            TaskEntry(
                id=ident,
                prompt=statement if isinstance(statement, str) else record["instance_id"],
                attempts=(AttemptEntry(rel, message, "accepted"),),
                base_rev=base if isinstance(base, str) else None,
            )
        )
    return tuple(tasks)
