"""Charter against import-linter and ruff on Django, measured in one run (SPEC §8).

    python bench/run.py [--runs 5] [--out bench/results.json] [--profile]

What it does, from nothing but PyPI:

1. downloads Django's sdist (``pip download django==5.1.4 --no-binary :all:``) into
   ``bench/.cache/sdist/``, unpacks it into a fresh ``bench/.cache/django-5.1.4/``,
   writes the same three rules for each tool (``bench/django/``: Charter decision
   records and ``.charter.toml``, an ``.importlinter``, a ``ruff.toml`` used only by the
   ruff runs), then ``git init``s the copy and commits everything;
2. times whole processes (``time.perf_counter`` around ``subprocess.run``), each the
   median of ``--runs`` runs after one untimed warm-up, Charter and its peer
   interleaved: ``charter check --all`` against ``lint-imports`` cold (tool cache
   deleted before every run) and warm (cache present), and the ``charter check
   --staged`` hook on a 1-, 5- and 10-file commit (warm cache) against
   ``ruff check --select TID251`` on the same files, plus a commit that introduces
   violations, which both must catch (exit 1);
3. checks that both sides give the same verdicts (exit codes, broken contracts,
   counts), prints a Markdown table and writes every sample to ``--out`` (JSON).

``--profile`` also profiles one warm hook run on a 1-file commit (``-X importtime`` and
cProfile) and prints where the time goes. The tools are taken from the ``bin`` folder of
the Python running this script (so pyenv or venv shims do not add to the times), with
bytecode cached under ``bench/.cache/pycache`` (``PYTHONPYCACHEPREFIX``); the
tool caches are the only thing "cold" deletes: the OS file cache and the ``.pyc`` files
are warm in every measurement.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import itertools
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from collections import Counter
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

DJANGO = "5.1.4"
BENCH = Path(__file__).resolve().parent
TEMPLATES = BENCH / "django"
CACHE = BENCH / ".cache"
SDIST_DIR = CACHE / "sdist"
WORK = CACHE / f"django-{DJANGO}"
RUFF_CONFIG = TEMPLATES / "ruff.toml"
PYCACHE = CACHE / "pycache"

# Real Django modules edited by the hook commits (none uses pickle.loads, so both tools
# must pass them): 1 = the first, 5 = the first five, 10 = all.
EDITED = (
    "django/db/models/query.py",
    "django/forms/forms.py",
    "django/views/generic/base.py",
    "django/utils/html.py",
    "django/core/handlers/base.py",
    "django/contrib/admin/options.py",
    "django/http/response.py",
    "django/template/base.py",
    "django/urls/resolvers.py",
    "django/contrib/auth/models.py",
)
# The commit that must be blocked: a lower layer importing a higher one (also
# django.utils -> django.db), and a new pickle.loads.
VIOLATING = {
    "django/utils/text.py": "\nfrom django.db import models  # noqa: E402,F401\n",
    "django/core/files/base.py": (
        "\n\ndef _bench_unpickle(data):\n    import pickle\n\n    return pickle.loads(data)\n"
    ),
}

CONTRACTS = {  # import-linter contract name -> Charter decision id
    "Django is layered: contrib, views, forms, db, utils": "BENCH-0001",
    "django.utils does not import django.db": "BENCH-0002",
}
BANNED_DECISION = "BENCH-0003"

HOOK_TARGET_S = 0.10  # the issue's target; SPEC §8 says under 0.3 s
SPEC_HOOK_TARGET_S = 0.3
COLD_TARGET = 1.0  # charter --all / lint-imports, cold (SPEC and issue)
WARM_TARGET = 0.5  # issue; SPEC §8: "at least 5x faster warm", i.e. 0.2
SPEC_WARM_TARGET = 0.2

GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
}


# -- tools -------------------------------------------------------------------------------


def tool(name: str) -> str:
    """The tool next to this Python (no pyenv shim in between), else on PATH."""
    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"bench: {name} is not installed (pip install -e . import-linter ruff)")
    return found


CHARTER = tool("charter")
LINT_IMPORTS = tool("lint-imports")
RUFF = tool("ruff")


def run(cmd: Sequence[str], cwd: Path = WORK, check: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV, "PYTHONPYCACHEPREFIX": str(PYCACHE)}
    env.pop("PRE_COMMIT_TO_REF", None)
    env.pop("PRE_COMMIT_FROM_REF", None)
    # Python tools run with their bytecode cached, as in any installed environment (some
    # sandboxes set PYTHONDONTWRITEBYTECODE, which recompiles every module on every run);
    # the .pyc files go under bench/.cache/, never next to the sources.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(list(cmd), cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({result.returncode}):\n{result.stderr}")
    return result


def git(*args: str) -> str:
    return run(["git", "-c", "commit.gpgsign=false", *args], check=True).stdout


# -- the Django copy ---------------------------------------------------------------------


def fetch_sdist() -> Path:
    SDIST_DIR.mkdir(parents=True, exist_ok=True)
    name = f"Django-{DJANGO}.tar.gz"
    found = [p for p in SDIST_DIR.glob("*.tar.gz") if p.name.lower() == name.lower()]
    if not found:
        print(f"downloading Django {DJANGO} (sdist) from PyPI ...", flush=True)
        run(
            [
                sys.executable, "-m", "pip", "download", f"django=={DJANGO}", "--no-deps",
                "--no-binary", ":all:", "-d", str(SDIST_DIR), "-q",
            ],
            cwd=BENCH,
            check=True,
        )  # fmt: skip
        found = [p for p in SDIST_DIR.glob("*.tar.gz") if p.name.lower() == name.lower()]
    if not found:
        sys.exit(f"bench: pip download left no {name} in {SDIST_DIR}")
    return found[0]


def prepare_copy(sdist: Path) -> None:
    """A fresh copy of Django with the three rules written for each tool, committed."""
    if WORK.exists():
        shutil.rmtree(WORK)
    unpack = CACHE / "unpack"
    if unpack.exists():
        shutil.rmtree(unpack)
    with tarfile.open(sdist) as archive:
        # The "data" filter also drops the archive's owner, which git would refuse
        # ("dubious ownership") when it is not the current user.
        if hasattr(tarfile, "data_filter"):
            archive.extractall(unpack, filter="data")
        else:  # Python < 3.11.4 without the backport
            archive.extractall(unpack)  # PyPI's own Django sdist
    (top,) = unpack.iterdir()
    top.rename(WORK)
    unpack.rmdir()

    shutil.copy(TEMPLATES / "charter.toml", WORK / ".charter.toml")
    shutil.copy(TEMPLATES / "importlinter.ini", WORK / ".importlinter")
    decisions = WORK / "docs" / "decisions"
    decisions.mkdir(parents=True, exist_ok=True)
    for record in sorted((TEMPLATES / "decisions").glob("*.md")):
        shutil.copy(record, decisions / record.name)

    git("init", "-q")
    with (WORK / ".git" / "info" / "exclude").open("a") as exclude:
        exclude.write(".charter_cache/\n.import_linter_cache/\n.ruff_cache/\n")
    git("add", "-A")
    git("commit", "-q", "-m", f"Django {DJANGO} with the benchmark's rules")


# -- timing ------------------------------------------------------------------------------


def timed(cmd: Sequence[str], before: object = None) -> tuple[float, subprocess.CompletedProcess]:
    if callable(before):
        before()
    start = time.perf_counter()
    result = run(cmd)
    return time.perf_counter() - start, result


def compare(
    runs: int,
    charter_cmd: Sequence[str],
    peer_cmd: Sequence[str],
    charter_before: object = None,
    peer_before: object = None,
) -> dict:
    """Median wall-clock seconds of both commands, interleaved, after one warm-up each."""
    samples: dict[str, list[float]] = {"charter": [], "peer": []}
    codes: dict[str, list[int]] = {"charter": [], "peer": []}
    last: dict[str, subprocess.CompletedProcess] = {}
    for i in range(runs + 1):
        for side, cmd, before in (
            ("charter", charter_cmd, charter_before),
            ("peer", peer_cmd, peer_before),
        ):
            seconds, result = timed(cmd, before)
            if result.returncode not in (0, 1):
                sys.exit(f"bench: {' '.join(cmd)} failed ({result.returncode}):\n{result.stderr}")
            last[side] = result
            if i == 0:
                continue  # warm-up
            samples[side].append(seconds)
            codes[side].append(result.returncode)
    return {
        "charter_cmd": " ".join(Path(c).name if c == charter_cmd[0] else c for c in charter_cmd),
        "peer_cmd": " ".join(Path(c).name if c == peer_cmd[0] else c for c in peer_cmd),
        "charter_s": statistics.median(samples["charter"]),
        "peer_s": statistics.median(samples["peer"]),
        "charter_samples": samples["charter"],
        "peer_samples": samples["peer"],
        "charter_exit": codes["charter"],
        "peer_exit": codes["peer"],
        "_last": last,
    }


def rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


# -- commits for the hook ----------------------------------------------------------------


EDIT_SERIAL = itertools.count(1)


class Staging:
    """Stages edited files; every run writes new content, so the edited blobs are new to
    the cache (as in a real commit) while every other file's facts are cached."""

    def __init__(self, edits: dict[str, str]) -> None:
        self.edits = edits
        self.originals = {path: (WORK / path).read_text(encoding="utf-8") for path in edits}

    def stage(self) -> None:
        serial = next(EDIT_SERIAL)  # unique in the whole run: never a cached blob
        for path, addition in self.edits.items():
            text = self.originals[path] + addition + f"# bench edit {serial}\n"
            (WORK / path).write_text(text, encoding="utf-8")
        git("add", "--", *self.edits)

    def restore(self) -> None:
        for path, text in self.originals.items():
            (WORK / path).write_text(text, encoding="utf-8")
        git("add", "--", *self.edits)


# -- sanity ------------------------------------------------------------------------------


def lint_imports_verdicts(output: str) -> dict[str, str]:
    verdicts = {}
    for name in CONTRACTS:
        match = re.search(rf"^{re.escape(name)} (KEPT|BROKEN)$", output, re.MULTILINE)
        verdicts[name] = match.group(1) if match else "?"
    return verdicts


def charter_json(*args: str) -> tuple[int, dict]:
    result = run([CHARTER, "check", *args, "--format", "json"])
    if result.returncode not in (0, 1):
        sys.exit(f"bench: charter check {' '.join(args)} failed:\n{result.stderr}")
    return result.returncode, json.loads(result.stdout)


def ruff_count(files: Sequence[str]) -> tuple[int, int]:
    result = run(
        [RUFF, "check", "--config", str(RUFF_CONFIG), "--select", "TID251", "--no-cache",
         "--output-format", "json", *files]
    )  # fmt: skip
    return result.returncode, len(json.loads(result.stdout or "[]"))


def sanity(results: dict) -> dict:
    """Both tools must reach the same verdicts; returns the counts (raises otherwise)."""
    failures: list[str] = []
    report: dict = {}

    # Import contracts: per contract, broken for import-linter <=> findings for Charter.
    code, document = charter_json("--all", "--no-cache")
    per_decision = Counter(v["decision"] for v in document["violations"])
    li = run([LINT_IMPORTS, "--no-cache"])
    verdicts = lint_imports_verdicts(li.stdout)
    li_chains = {
        name: len(re.findall(r"^-\s", section, re.MULTILINE))
        for name, section in _lint_imports_sections(li.stdout).items()
    }
    report["contracts"] = {}
    for name, decision in CONTRACTS.items():
        charter_broken = per_decision[decision] > 0
        entry = {
            "decision": decision,
            "charter_findings": per_decision[decision],
            "lint_imports": verdicts[name],
            "lint_imports_chains": li_chains.get(name, 0),
        }
        report["contracts"][name] = entry
        if charter_broken != (verdicts[name] == "BROKEN"):
            failures.append(f"verdicts differ on {name!r}: {entry}")
    report["charter_all_exit"] = code
    report["lint_imports_exit"] = li.returncode
    if code != li.returncode:
        failures.append(f"exit codes differ: charter {code}, lint-imports {li.returncode}")

    # The banned API over the whole package: the same uses, found by both.
    ruff_code, ruff_total = ruff_count(["django"])
    banned = per_decision[BANNED_DECISION]
    report["banned_api"] = {"charter_findings": banned, "ruff_findings": ruff_total}
    if (banned > 0) != (ruff_code == 1) or banned != ruff_total:
        failures.append(f"pickle.loads: charter {banned} findings, ruff {ruff_total}")

    # Every timed run exited as expected.
    for key, row in results.items():
        expected = row["expect_exit"]
        for side in ("charter", "peer"):
            if set(row[f"{side}_exit"]) != {expected[side]}:
                failures.append(f"{key}: {side} exited {row[f'{side}_exit']}, not {expected}")

    report["failures"] = failures
    return report


def _lint_imports_sections(output: str) -> dict[str, str]:
    """The text of each broken contract in lint-imports' report."""
    sections: dict[str, str] = {}
    names = [n for n in CONTRACTS if re.search(rf"^{re.escape(n)}\n-+$", output, re.MULTILINE)]
    for name in names:
        start = re.search(rf"^{re.escape(name)}\n-+$", output, re.MULTILINE)
        assert start is not None
        rest = output[start.end() :]
        ends = [
            m.start()
            for other in names
            if other != name
            for m in [re.search(rf"^{re.escape(other)}\n-+$", rest, re.MULTILINE)]
            if m
        ]
        sections[name] = rest[: min(ends)] if ends else rest
    return sections


# -- the report --------------------------------------------------------------------------


def machine() -> dict:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "bytecode": f"cached in {PYCACHE.relative_to(BENCH.parent)} (PYTHONPYCACHEPREFIX)",
    }


def _load() -> list[float] | None:
    """The 1, 5 and 15 minute load averages: other work on the machine skews the times."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def versions() -> dict:
    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    repo = BENCH.parent
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "charter": run([CHARTER, "--version"], cwd=BENCH).stdout.strip().split()[-1],
        "charter_commit": head + (" (with uncommitted changes)" if dirty else ""),
        "charter_uncommitted": [line[3:] for line in dirty.splitlines()],
        "import-linter": version("import-linter"),
        "grimp": version("grimp"),
        "ruff": run([RUFF, "--version"], cwd=BENCH).stdout.strip().split()[-1],
        "django": DJANGO,
    }


def table(results: dict) -> str:
    lines = [
        "| measurement | charter (s) | peer (s) | ratio charter/peer "
        "| target | met | SPEC §8 | met |",
        "|---|---:|---:|---:|---|---|---|---|",
    ]
    for row in results.values():
        ratio = row["charter_s"] / row["peer_s"]
        lines.append(
            f"| {row['label']} | {row['charter_s']:.3f} | {row['peer_s']:.3f} | {ratio:.2f}x "
            f"| {row['target']} | {_met(row['met'])} | {row['spec_target']} "
            f"| {_met(row['spec_met'])} |"
        )
    return "\n".join(lines)


def _met(met: bool | None) -> str:
    return "—" if met is None else ("yes" if met else "**no**")


def judge(row: dict) -> None:
    ratio = row["charter_s"] / row["peer_s"]
    kind = row["kind"]
    if kind == "cold":
        row["target"], row["met"] = f"≤ {COLD_TARGET:.1f}x", ratio <= COLD_TARGET
        row["spec_target"], row["spec_met"] = f"≤ {COLD_TARGET:.1f}x", ratio <= COLD_TARGET
    elif kind == "warm":
        row["target"], row["met"] = f"≤ {WARM_TARGET:.1f}x", ratio <= WARM_TARGET
        row["spec_target"] = f"≤ {SPEC_WARM_TARGET:.1f}x (5x faster)"
        row["spec_met"] = ratio <= SPEC_WARM_TARGET
    elif kind == "hook":
        row["target"] = f"charter ≤ {HOOK_TARGET_S:.2f} s"
        row["met"] = row["charter_s"] <= HOOK_TARGET_S
        row["spec_target"] = f"charter < {SPEC_HOOK_TARGET_S:.1f} s"
        row["spec_met"] = row["charter_s"] < SPEC_HOOK_TARGET_S
    else:  # the violating commit: what matters is that both block it
        caught = set(row["charter_exit"]) == {1} and set(row["peer_exit"]) == {1}
        row["target"], row["met"] = "both exit 1", caught
        row["spec_target"], row["spec_met"] = "—", None


# -- profiling ---------------------------------------------------------------------------


def profile(out_dir: Path) -> dict:
    """One warm hook run on a 1-file commit: interpreter start, imports, engine steps.

    Every run stages new content (as a real commit would) on top of a cache that holds
    HEAD's facts. ``bench/phases.py`` times the engine's steps in-process (no profiler
    overhead); ``-X importtime`` and cProfile write their details next to the copy.
    """
    staging = Staging({EDITED[0]: "\n# bench: harmless comment\n"})
    run([CHARTER, "check", "--all"])  # the cache holds HEAD's facts
    staging.stage()
    run([CHARTER, "check", "--staged"])  # warm-up (pyc, OS file cache)

    startup = []
    for _ in range(5):
        start = time.perf_counter()
        run([sys.executable, "-c", "pass"])
        startup.append(time.perf_counter() - start)

    staging.stage()
    imports = run([sys.executable, "-X", "importtime", "-m", "charter.hooks", "check",
                   "--staged"]).stderr  # fmt: skip
    (out_dir / "importtime.txt").write_text(imports)
    top_imports: list[tuple[float, str]] = []
    for line in imports.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| ( *)(\S+)", line)
        if m and len(m.group(2)) <= 1:  # top-level imports, with their children
            top_imports.append((int(m.group(1)) / 1000, m.group(3)))
    top_imports.sort(reverse=True)

    staging.stage()
    phases = json.loads(run([sys.executable, str(BENCH / "phases.py"), "--staged"]).stdout)
    (out_dir / "phases.json").write_text(json.dumps(phases, indent=2) + "\n")

    staging.stage()
    prof_file = out_dir / "hook.prof"
    run([sys.executable, "-m", "cProfile", "-o", str(prof_file), "-m", "charter.hooks",
         "check", "--staged"])  # fmt: skip
    buffer = io.StringIO()
    pstats.Stats(str(prof_file), stream=buffer).sort_stats("cumulative").print_stats(60)
    (out_dir / "cprofile.txt").write_text(buffer.getvalue())
    staging.restore()

    phases_all = {}
    rmtree(WORK / ".charter_cache")
    for label in ("cold", "warm"):
        result = run([sys.executable, str(BENCH / "phases.py"), "--all"])
        phases_all[label] = json.loads(result.stdout)
    (out_dir / "phases-all.json").write_text(json.dumps(phases_all, indent=2) + "\n")
    return {
        "phases_all": phases_all,
        "python_startup_ms": statistics.median(startup) * 1000,
        "imports_ms": sum(ms for ms, _ in top_imports),
        "top_imports_ms": [(name, ms) for ms, name in top_imports[:10]],
        "phases": phases,
    }


# -- main --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--out", type=Path, default=BENCH / "results.json", help="JSON results")
    parser.add_argument("--profile", action="store_true", help="also profile the warm hook")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    load_before = _load()
    sdist = fetch_sdist()
    prepare_copy(sdist)
    py_files = sum(1 for _ in (WORK / "django").rglob("*.py"))
    tracked = len(git("ls-files").splitlines())
    print(f"Django {DJANGO}: {tracked} files in git, {py_files} .py files under django/")

    charter_cache = WORK / ".charter_cache"
    li_cache = WORK / ".import_linter_cache"
    results: dict[str, dict] = {}

    print("timing check --all / lint-imports, cold ...", flush=True)
    row = compare(
        args.runs,
        [CHARTER, "check", "--all"],
        [LINT_IMPORTS],
        charter_before=lambda: rmtree(charter_cache),
        peer_before=lambda: rmtree(li_cache),
    )
    results["all_cold"] = {**row, "label": "`check --all` vs `lint-imports`, cold", "kind": "cold"}

    print("timing check --all / lint-imports, warm ...", flush=True)
    row = compare(args.runs, [CHARTER, "check", "--all"], [LINT_IMPORTS])
    results["all_warm"] = {**row, "label": "`check --all` vs `lint-imports`, warm", "kind": "warm"}
    for key in ("all_cold", "all_warm"):
        results[key]["expect_exit"] = {"charter": 1, "peer": 1}

    for n in (1, 5, 10):
        print(f"timing the hook on a {n}-file commit ...", flush=True)
        files = EDITED[:n]
        staging = Staging({path: "\n# bench: harmless comment\n" for path in files})
        row = compare(
            args.runs,
            [CHARTER, "check", "--staged"],
            [RUFF, "check", "--config", str(RUFF_CONFIG), "--select", "TID251", *files],
            charter_before=staging.stage,
        )
        staging.restore()
        results[f"hook_{n}"] = {
            **row,
            "label": f"hook `check --staged`, {n}-file commit vs `ruff check --select TID251`",
            "kind": "hook",
            "files": list(files),
            "expect_exit": {"charter": 0, "peer": 0},
        }

    print("timing the hook on a commit that introduces violations ...", flush=True)
    staging = Staging(VIOLATING)
    row = compare(
        args.runs,
        [CHARTER, "check", "--staged"],
        [RUFF, "check", "--config", str(RUFF_CONFIG), "--select", "TID251", *VIOLATING],
        charter_before=staging.stage,
    )
    staging.stage()
    _, caught = charter_json("--staged")
    staging.restore()
    results["hook_violation"] = {
        **row,
        "label": f"hook `check --staged`, {len(VIOLATING)}-file commit with new violations",
        "kind": "violation",
        "files": list(VIOLATING),
        "expect_exit": {"charter": 1, "peer": 1},
        "caught": [
            f"{v['path']}:{v['line']}: {v['decision']} [{v['kind']}] {v['message']}"
            for v in caught["violations"]
        ],
        "ruff_output": row["_last"]["peer"].stdout.strip().splitlines(),
    }

    for row in results.values():
        row.pop("_last", None)
        judge(row)

    print("sanity checks ...", flush=True)
    checks = sanity(results)
    hook_decisions = {
        line.split(": ")[1].split()[0] for line in results["hook_violation"]["caught"]
    }
    if hook_decisions != {"BENCH-0001", "BENCH-0002", "BENCH-0003"}:
        checks["failures"].append(f"the violating commit was caught by {sorted(hook_decisions)}")

    prof = None
    if args.profile:
        print("profiling the warm hook ...", flush=True)
        prof = profile(CACHE)

    info = {
        "machine": {**machine(), "load_before": load_before, "load_after": _load()},
        "versions": versions(),
    }
    document = {
        "schema": "charter-bench/1",
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "runs": args.runs,
        **info,
        "django_files": {"git": tracked, "py_under_django": py_files},
        "results": results,
        "sanity": checks,
        "profile": prof,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")

    m, v = info["machine"], info["versions"]
    print()
    print(f"## Charter vs import-linter and ruff on Django {DJANGO} (median of {args.runs})")
    print()
    print(table(results))
    print()
    print(f"- machine: {m['nproc']} cores, {m['cpu']}, Python {m['python']}, {m['platform']}")
    print(f"- load average (1, 5, 15 min): {m['load_before']} before, {m['load_after']} after")
    print(
        f"- versions: charter {v['charter']} ({v['charter_commit']}), import-linter "
        f"{v['import-linter']} (grimp {v['grimp']}), ruff {v['ruff']}, Django {v['django']}"
    )
    print()
    print("Sanity:")
    for name, entry in checks["contracts"].items():
        print(
            f"- {entry['decision']} / {name!r}: charter {entry['charter_findings']} findings, "
            f"lint-imports {entry['lint_imports']} ({entry['lint_imports_chains']} chains)"
        )
    b = checks["banned_api"]
    print(f"- pickle.loads: charter {b['charter_findings']}, ruff TID251 {b['ruff_findings']}")
    print(
        f"- exit codes of --all: charter {checks['charter_all_exit']}, "
        f"lint-imports {checks['lint_imports_exit']}"
    )
    print("- the violating commit, as charter --staged reports it:")
    for line in results["hook_violation"]["caught"]:
        print(f"    {line}")
    if prof is not None:
        ph = prof["phases"]
        hook_ms = results["hook_1"]["charter_s"] * 1000
        print()
        print(f"Warm hook on a 1-file commit ({hook_ms:.0f} ms median as a whole process):")
        print(f"  {prof['python_startup_ms']:7.1f} ms  python -c pass (interpreter and site)")
        print(f"  {prof['imports_ms']:7.1f} ms  all imports (-X importtime, includes site)")
        print(f"  {ph['main_ms']:7.1f} ms  cli.main(['check', '--staged']) in-process, of which:")
        for step in ph["steps"][:12]:
            print(f"  {step['ms']:7.1f} ms    {step['step']} ({step['calls']} calls)")
        print("  top-level imports (cumulative ms):")
        for name, ms in prof["top_imports_ms"][:6]:
            print(f"  {ms:7.1f} ms    {name}")
        for label, doc in prof["phases_all"].items():
            print(f"`check --all`, {label} cache: cli.main {doc['main_ms']:.0f} ms, of which:")
            for step in doc["steps"][:6]:
                print(f"  {step['ms']:7.1f} ms    {step['step']} ({step['calls']} calls)")
        print(f"  details: {CACHE}/phases.json, phases-all.json, importtime.txt, cprofile.txt")
    print()
    print(f"raw numbers: {args.out}")
    if checks["failures"]:
        print("\nSANITY CHECKS FAILED:", *checks["failures"], sep="\n- ")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
