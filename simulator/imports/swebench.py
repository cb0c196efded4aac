"""``charter sim import swebench``: an independent-mode scenario from agent predictions.

``PREDICTIONS.jsonl`` holds one object per line with ``instance_id``, ``model_patch``
and ``model_name_or_path`` (SWE-bench's format; ``problem_statement`` and
``base_commit`` are used when present). ``--instances FILE`` (SWE-bench's instances, as
JSONL or a JSON list) gives each instance its ``base_commit`` and problem statement.
Each prediction becomes a task with one attempt, at its instance's base commit. The
predictions were made without Charter, so they are recorded as ``accepted`` under the
empty set ``none``; the repository's own decisions are the set ``repo``, and ``--set
NAME=DIR`` adds the sets to compare. The oracle is asked for (``--oracle DIR``), never
copied from a set under test.

``--success-runner RUNNER`` judges each task as SWE-bench does: its success test applies
the instance's ``test_patch`` to what landed and runs ``RUNNER`` on its ``FAIL_TO_PASS``
and ``PASS_TO_PASS`` tests (from the instances file); exit 0 is solved.
"""

from __future__ import annotations

import hashlib
import json
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from charter.hooks.errors import CharterError
from charter.simulator import patches, scenario
from charter.simulator.imports import common
from charter.simulator.imports.common import AttemptEntry, ScenarioFile, SuccessEntry, TaskEntry

FIELDS = ("instance_id", "model_patch", "model_name_or_path")


@dataclass(frozen=True)
class Prediction:
    """One line of the predictions file."""

    line: int
    instance_id: str
    model: str
    patch: str
    problem_statement: str | None = None
    base_commit: str | None = None
    test_patch: str | None = None  # from its instance: what SWE-bench's harness applies
    tests: tuple[str, ...] = ()  # FAIL_TO_PASS, then PASS_TO_PASS


@dataclass(frozen=True)
class Instance:
    """What the instances file says of one instance."""

    instance_id: str
    base_commit: str
    problem_statement: str | None = None
    test_patch: str | None = None
    tests: tuple[str, ...] = ()


@dataclass(frozen=True)
class SuccessRunner:
    """``--success-runner``: the command that runs an instance's tests, given their ids."""

    runner: str
    timeout: float = 300.0

    def entry(self, prediction: Prediction) -> SuccessEntry | None:
        if not prediction.tests:
            return None
        lines = ["set -e"]
        if prediction.test_patch:
            patch = prediction.test_patch.rstrip("\n")
            # A delimiter no line of the patch can be: the heredoc ends only at its own.
            end = "CHARTER_TEST_PATCH_" + hashlib.sha256(patch.encode()).hexdigest()[:12]
            lines += [f"git apply --whitespace=nowarn <<'{end}'", patch, end]
        lines.append(f"{self.runner} {' '.join(shlex.quote(t) for t in prediction.tests)}")
        return SuccessEntry("\n".join(lines), self.timeout)


def _objects(path: Path, what: str) -> Iterator[tuple[int, object | str]]:
    """Each JSON value of a JSONL file (or of a JSON list) with its line; a problem's
    text in place of a line that is not JSON."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CharterError(f"{path}: cannot read the {what} ({exc})") from None
    if text.lstrip().startswith("["):
        try:
            values = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise CharterError(f"{path}: not a JSON list ({exc})") from None
        yield from enumerate(values, start=1)
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except (ValueError, RecursionError) as exc:
            yield number, f"not a JSON object ({exc.args[0]})"


def _text(record: Mapping[str, object], key: str) -> str | None:
    value = record.get(key)
    return value if isinstance(value, str) else None


def read(path: Path) -> tuple[list[Prediction], list[str]]:
    """The predictions; problems raise (each naming its line), empty patches warn."""
    problems: list[str] = []
    warnings: list[str] = []
    found: list[Prediction] = []
    for number, record in _objects(path, "predictions"):
        where = f"{path}:{number}"
        if isinstance(record, str):
            problems.append(f"{where}: {record}")
            continue
        if not isinstance(record, dict):
            problems.append(f"{where}: expected a JSON object")
            continue
        missing = [f for f in FIELDS if not isinstance(record.get(f), str)]
        if missing:
            problems.append(f"{where}: missing or not a string: {', '.join(missing)}")
            continue
        if not record["model_patch"].strip():
            warnings.append(f"{where}: {record['instance_id']}: empty model_patch; skipped")
            continue
        for patch_line, problem in patches.problems(record["model_patch"]):
            problems.append(f"{where}: model_patch line {patch_line}: {problem}")
        found.append(
            Prediction(
                number,
                record["instance_id"],
                record["model_name_or_path"],
                record["model_patch"],
                _text(record, "problem_statement"),
                _text(record, "base_commit"),
            )
        )
    if problems:
        raise CharterError("invalid predictions:\n  " + "\n  ".join(problems))
    if not found:
        raise CharterError(f"{path}: no prediction with a patch")
    return found, warnings


def read_instances(path: Path) -> dict[str, Instance]:
    """SWE-bench's instances by id: each needs ``instance_id`` and ``base_commit``."""
    problems: list[str] = []
    found: dict[str, Instance] = {}
    for number, record in _objects(path, "instances"):
        where = f"{path}:{number}"
        if isinstance(record, str) or not isinstance(record, dict):
            problems.append(f"{where}: {record if isinstance(record, str) else 'not an object'}")
            continue
        ident, base = _text(record, "instance_id"), _text(record, "base_commit")
        if ident is None or base is None:
            problems.append(f"{where}: needs instance_id and base_commit (strings)")
            continue
        tests: list[str] = []
        for key in ("FAIL_TO_PASS", "PASS_TO_PASS"):
            listed, problem = _test_ids(record.get(key))
            if problem is not None:
                problems.append(f"{where}: {key}: {problem}")
            tests.extend(listed)
        test_patch = _text(record, "test_patch")
        for patch_line, problem in patches.problems(test_patch or ""):
            problems.append(f"{where}: test_patch line {patch_line}: {problem}")
        statement = _text(record, "problem_statement")
        found[ident] = Instance(ident, base, statement, test_patch, tuple(tests))
    if problems:
        raise CharterError("invalid instances:\n  " + "\n  ".join(problems))
    return found


def _test_ids(value: object) -> tuple[list[str], str | None]:
    """A test-id list as SWE-bench writes it: a list of strings, or one encoded as JSON."""
    if value is None:
        return [], None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [], "expected a list of test ids (or one encoded as JSON)"
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        return [], "expected a list of test ids (strings)"
    return list(value), None


def _joined(
    predictions: list[Prediction], instances: Mapping[str, Instance] | None, source: Path | None
) -> list[Prediction]:
    """Each prediction with its instance's base commit and problem statement."""
    if instances is None:
        return predictions
    unknown = [p for p in predictions if p.instance_id not in instances]
    if unknown:
        raise CharterError(
            "\n  ".join(
                [f"predictions of instances {source} does not hold:"]
                + [f"line {p.line}: {p.instance_id}" for p in unknown]
            )
            + "\nadd them to the instances file, or leave their predictions out"
        )
    joined = []
    for p in predictions:
        instance = instances[p.instance_id]
        statement = instance.problem_statement or p.problem_statement
        joined.append(
            Prediction(
                p.line,
                p.instance_id,
                p.model,
                p.patch,
                statement,
                instance.base_commit,
                instance.test_patch,
                instance.tests,
            )
        )
    return joined


def _check_bases(repo: Path, predictions: list[Prediction]) -> None:
    """Every base commit is in the repository: a missing one would end the run."""
    missing = sorted(
        {
            f"{p.base_commit} ({p.instance_id})"
            for p in predictions
            if p.base_commit is not None and not common.has_commit(repo, p.base_commit)
        }
    )
    if missing:
        raise CharterError(
            f"{repo}: no such commit: {', '.join(missing)}; fetch the history that holds "
            "them (a shallow clone cannot be bundled)"
        )


def import_predictions(
    predictions: Path,
    repo: Path,
    out: Path,
    oracle: Path,
    name: str | None = None,
    *,
    instances: Path | None = None,
    sets: Mapping[str, Path] | None = None,
    success: SuccessRunner | None = None,
) -> tuple[scenario.Scenario, list[str]]:
    """Write the scenario into ``out`` (all or nothing); the scenario and warnings.

    ``oracle`` is a folder of decision records given by the user: a copy of a set under
    test would label exactly what that set blocks, so its verdicts would be right by
    construction.
    """
    if success is not None and instances is None:
        raise CharterError(
            "--success-runner runs each instance's FAIL_TO_PASS and PASS_TO_PASS tests: "
            "give the instances file that holds them with --instances"
        )
    records, warnings = read(predictions)
    known = read_instances(instances) if instances is not None else None
    records = _joined(records, known, instances)
    repo = repo.resolve()
    common.git(repo, "rev-parse", "--verify", "HEAD")
    _check_bases(repo, records)
    with common.writing(out) as folder:
        data = _write(records, predictions, repo, folder, oracle, name, sets or {}, success)
        readme = (
            f"# {data.name}\n\nImported by `charter sim import swebench` from "
            f"{len(data.tasks)} predictions. Recorded under the empty set `none`; compare it "
            f"with {', '.join(f'`{s}`' for s in data.constraint_sets if s != 'none')}.\n\n"
            f"{common.ORACLE_NOTE}\n"
        )
        common.finish(folder, data, readme)  # validated before it is moved into place
    if success is not None:
        warnings += [
            f"{r.instance_id}: its instance lists no FAIL_TO_PASS or PASS_TO_PASS test; not judged"
            for r in records
            if not r.tests
        ]
    return scenario.load(out.absolute()), warnings


def _write(
    records: list[Prediction],
    predictions: Path,
    repo: Path,
    out: Path,
    oracle: Path,
    name: str | None,
    sets: Mapping[str, Path],
    success: SuccessRunner | None,
) -> ScenarioFile:
    constraint_sets = common.write_sets(repo, "HEAD", out, oracle, sets)
    repo_entry: str | dict[str, str] = "repo/"
    if any(r.base_commit is not None for r in records):
        common.git(repo, "bundle", "create", str(out / "repo.bundle"), "--all")
        repo_entry = {"bundle": "repo.bundle", "rev": "HEAD"}
    else:
        common.export_tree(repo, "HEAD", out / "repo")
    return ScenarioFile(
        name=name or common.safe_id(predictions.stem, set()),
        description=f"Imported from {predictions.name} on {repo.name}.",
        repo=repo_entry,
        constraint_sets=constraint_sets,
        recorded_with="none",
        mode="independent",
        tasks=_entries(records, out, success),
    )


def _entries(
    records: list[Prediction], out: Path, success: SuccessRunner | None
) -> tuple[TaskEntry, ...]:
    """The tasks of scenario.yaml, one per prediction, its patch written into ``out``.
    With predictions of several models, a task is ``INSTANCE@MODEL``."""
    several = len({r.model for r in records}) > 1
    taken: set[str] = set()
    tasks: list[TaskEntry] = []
    for record in records:
        label = f"{record.instance_id}@{record.model}" if several else record.instance_id
        ident = common.safe_id(label, taken)
        rel = f"tasks/{ident}/1.diff"
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        patch = record.patch if record.patch.endswith("\n") else record.patch + "\n"
        (out / rel).write_text(patch, encoding="utf-8")
        message = f"{record.model}: {record.instance_id}"
        tasks.append(
            TaskEntry(
                id=ident,
                prompt=record.problem_statement or record.instance_id,
                attempts=(AttemptEntry(rel, message, "accepted"),),
                base_rev=record.base_commit,
                success=success.entry(record) if success is not None else None,
            )
        )
    return tuple(tasks)
