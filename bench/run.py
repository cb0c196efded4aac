"""Charter against import-linter and ruff on Django, measured in one run (SPEC §8).

    python bench/run.py [--runs 5] [--out bench/results.json] [--profile]

What it does, from nothing but PyPI:

1. downloads Django's sdist (``pip download django==5.1.4 --no-binary :all:``) into
   ``bench/.cache/sdist/``, unpacks it into a fresh ``bench/.cache/django-5.1.4/``,
   writes the same three rules for each tool (``bench/django/``: Charter decision
   records and ``.charter.toml``, an ``.importlinter``, a ``ruff.toml`` used only by the
   ruff runs), then ``git init``s the copy, commits everything and packs it as a clone
   is (``git gc``, not git's automatic gc in the background while the rows are timed);
2. flushes the fresh copy's writes to disk (``os.sync``), then times whole processes
   (``time.perf_counter`` around ``subprocess.run``), each the
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
tool caches (Charter's ``.charter_cache/`` and ``.git/charter/``, import-linter's through
``--no-cache``) are the only thing "cold" deletes: the OS file cache and the ``.pyc`` files
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
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import builders  # bench/builders.py, next to this script
import commit
import environment
import large

from charter.hooks import resident

DJANGO = "5.1.4"
BENCH = Path(__file__).resolve().parent
TEMPLATES = BENCH / "django"
CACHE = BENCH / ".cache"
SDIST_DIR = CACHE / "sdist"
WORK = CACHE / f"django-{DJANGO}"
RUFF_CONFIG = TEMPLATES / "ruff.toml"
PYCACHE = CACHE / "pycache"
LARGE = CACHE / "bigcorp"

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
# The decisions folder (in the Django tree) of the cold row run again with only the two
# rules import-linter checks: the full row also judges two banned-api rules (ruff's
# TID251, not import-linter's), whose parse and word tests are part of its time.
SAME_RULES = "docs/import-rules"
SAME_RULES_RECORDS = ("0001-layers.md", "0002-utils-no-db.md")

# Issue 15's targets: ratios against the peer timed in the same run, or seconds.
COLD_TARGET = 1.0  # charter check --all, fresh clone / lint-imports --no-cache
WARM_TARGET = 0.5  # charter check --all warm / lint-imports warm
HOOK_RATIO_TARGET = 0.5  # charter check --staged (5 files) / lint-imports warm
COMMIT_TARGET = 1.5  # what Charter's hooks add to git commit / what no-op hooks add
FIX_TARGET_S = 1.0  # charter fix on one 2,000-line file
CLAUDE_TARGET_S = 0.15  # charter hook claude on one Edit
FIX_FILE = "django/db/models/fields/related.py"  # 1,995 lines
FIX_EDIT = "\n\ndef _bench_stamp():\n    import datetime\n\n    return datetime.datetime.utcnow()\n"
CLAUDE_FILE = "django/utils/text.py"

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


def run(
    cmd: Sequence[str],
    cwd: Path = WORK,
    check: bool = False,
    extra_env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV, "PYTHONPYCACHEPREFIX": str(PYCACHE), **(extra_env or {})}
    env.pop("PRE_COMMIT_TO_REF", None)
    env.pop("PRE_COMMIT_FROM_REF", None)
    # Python tools run with their bytecode cached, as in any installed environment (some
    # sandboxes set PYTHONDONTWRITEBYTECODE, which recompiles every module on every run);
    # the .pyc files go under bench/.cache/, never next to the sources.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(
        list(cmd), cwd=cwd, env=env, capture_output=True, text=True, input=stdin
    )
    if check and result.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({result.returncode}):\n{result.stderr}")
    return result


def git(*args: str, cwd: Path = WORK) -> str:
    return run(["git", "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True).stdout


def bench_env() -> dict[str, str]:
    """The environment every timed command gets (git identity, bytecode cache)."""
    env = {**os.environ, **GIT_ENV, "PYTHONPYCACHEPREFIX": str(PYCACHE), "PATH": _path()}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _path() -> str:
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


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
    # The cold row again with only the rules import-linter checks (``SAME_RULES``).
    same = WORK / SAME_RULES
    same.mkdir(parents=True, exist_ok=True)
    for name in SAME_RULES_RECORDS:
        shutil.copy(TEMPLATES / "decisions" / name, same / name)

    git("init", "-q")
    with (WORK / ".git" / "info" / "exclude").open("a") as exclude:
        exclude.write(".charter_cache/\n.import_linter_cache/\n.ruff_cache/\n")
    git("add", "-A")
    commit_packed(f"Django {DJANGO} with the benchmark's rules", WORK)
    settle()


# -- timing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """Where and how a command runs: folder, extra environment, standard input."""

    cwd: Path = WORK
    env: dict[str, str] | None = None
    stdin: str | None = None


def timed(
    cmd: Sequence[str], before: object = None, where: Where = Where()
) -> tuple[float, subprocess.CompletedProcess]:
    if callable(before):
        before()
    start = time.perf_counter()
    result = run(cmd, cwd=where.cwd, extra_env=where.env, stdin=where.stdin)
    return time.perf_counter() - start, result


def compare(
    runs: int,
    charter_cmd: Sequence[str],
    peer_cmd: Sequence[str],
    charter_before: object = None,
    peer_before: object = None,
    where: Where = Where(),
    peer_where: Where | None = None,
) -> dict:
    """Median wall-clock seconds of both commands, interleaved, after one warm-up each."""
    samples: dict[str, list[float]] = {"charter": [], "peer": []}
    codes: dict[str, list[int]] = {"charter": [], "peer": []}
    last: dict[str, subprocess.CompletedProcess] = {}
    for i in range(runs + 1):
        for side, cmd, before, place in (
            ("charter", charter_cmd, charter_before, where),
            ("peer", peer_cmd, peer_before, peer_where or where),
        ):
            seconds, result = timed(cmd, before, place)
            if result.returncode not in (0, 1):
                sys.exit(f"bench: {' '.join(cmd)} failed ({result.returncode}):\n{result.stderr}")
            last[side] = result
            if i == 0:
                continue  # warm-up
            samples[side].append(seconds)
            codes[side].append(result.returncode)
    return {
        "charter_cmd": _shown(charter_cmd),
        "peer_cmd": _shown(peer_cmd),
        "charter_s": statistics.median(samples["charter"]),
        "peer_s": statistics.median(samples["peer"]),
        "charter_samples": samples["charter"],
        "peer_samples": samples["peer"],
        "charter_exit": codes["charter"],
        "peer_exit": codes["peer"],
        "_last": last,
    }


def _shown(cmd: Sequence[str]) -> str:
    """A command as the results show it: the tool's name, paths relative to the repository."""
    here = str(BENCH.parent) + os.sep
    return " ".join([Path(cmd[0]).name, *(c.replace(here, "") for c in cmd[1:])])


def rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


# -- commits for the hook ----------------------------------------------------------------


EDIT_SERIAL = itertools.count(1)


class Staging:
    """Stages edited files; every run writes new content, so the edited blobs are new to
    the cache (as in a real commit) while every other file's facts are cached."""

    def __init__(self, edits: dict[str, str], root: Path = WORK) -> None:
        self.edits = edits
        self.root = root
        self.originals = {path: (root / path).read_text(encoding="utf-8") for path in edits}

    def stage(self) -> None:
        serial = next(EDIT_SERIAL)  # unique in the whole run: never a cached blob
        for path, addition in self.edits.items():
            text = self.originals[path] + addition + f"# bench edit {serial}\n"
            (self.root / path).write_text(text, encoding="utf-8")
        git("add", "--", *self.edits, cwd=self.root)

    def restore(self) -> None:
        for path, text in self.originals.items():
            (self.root / path).write_text(text, encoding="utf-8")
        git("add", "--", *self.edits, cwd=self.root)


def edited_files(root: Path, package: str, count: int) -> list[str]:
    """``count`` real modules to edit: the ten of ``EDITED`` first (Django), then others
    in name order (never one with a banned call, so the hook passes)."""
    chosen = [path for path in EDITED if (root / path).is_file()][:count]
    for path in sorted(p.relative_to(root).as_posix() for p in (root / package).rglob("*.py")):
        if len(chosen) >= count:
            break
        if path not in chosen and "pickle" not in (root / path).read_text(encoding="utf-8"):
            chosen.append(path)
    return chosen


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
        "install": "a wheel of this checkout in bench/.cache/venv, as pre-commit installs a hook",
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
    dirty = subprocess.run(  # not stripped: a line's first column may be a space
        ["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
    ).stdout.rstrip("\n")
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
        "| measurement | Charter (s) | peer, same run | peer (s) | ratio (95% interval) "
        "| target | met |",
        "|---|---:|---|---:|---:|---|---|",
    ]
    for row in results.values():
        peer = row.get("peer_s")
        ratio = "—" if peer is None else f"{row['charter_s'] / peer:.2f}x"
        if peer is not None and row.get("ratio_interval"):
            low, high = row["ratio_interval"]
            ratio += f" ({low:.2f}-{high:.2f})"
        peer_text = "—" if peer is None else f"{peer:.3f}"
        lines.append(
            f"| {row['label']} | {row['charter_s']:.3f} | {row.get('peer_label', '—')} "
            f"| {peer_text} | {ratio} | {row['target']} | {_met(row['met'], row.get('decided'))} |"
        )
    lines.append("")
    lines.append(INTERVAL_METHOD)
    return "\n".join(lines)


def _met(met: bool | None, decided: bool | None = None) -> str:
    if met is None:
        return "—"
    shown = "yes" if met else "**no**"
    return shown if decided in (None, True) else f"{shown} (within noise)"


BOOTSTRAP = 2000
INTERVAL_METHOD = (
    f"Ratio: median of Charter's runs over the peer's. Interval: {BOOTSTRAP:,} resamples of "
    "the interleaved pairs (Charter's run i and the peer's, timed one after the other), "
    "percentile, seed 0. *Within noise*: the interval holds the target, so this run "
    "cannot tell whether the row meets it."
)


def ratio_interval(
    charter: Sequence[float], peer: Sequence[float], level: float = 0.95
) -> tuple[float, float]:
    """The percentile interval of the ratio of medians over paired resamples of the
    runs (pairs, because run i of each command shares the machine's moment)."""
    pairs = list(zip(charter, peer, strict=True))
    rng = random.Random(0)
    ratios = sorted(
        statistics.median(c for c, _ in sample) / statistics.median(p for _, p in sample)
        for sample in (rng.choices(pairs, k=len(pairs)) for _ in range(BOOTSTRAP))
    )
    tail = int(BOOTSTRAP * (1 - level) / 2)
    return ratios[tail], ratios[BOOTSTRAP - 1 - tail]


RATIO_TARGETS = {"cold": COLD_TARGET, "warm": WARM_TARGET, "hook": HOOK_RATIO_TARGET,
                 "commit": COMMIT_TARGET}  # fmt: skip
SECONDS_TARGETS = {"fix": FIX_TARGET_S, "claude": CLAUDE_TARGET_S}


def judge(row: dict) -> None:
    kind = row["kind"]
    if row.get("peer_samples"):
        row["ratio_interval"] = ratio_interval(row["charter_samples"], row["peer_samples"])
    if kind in RATIO_TARGETS:
        limit = RATIO_TARGETS[kind]
        row["target"] = f"≤ {limit:.1f}x"
        row["met"] = row["charter_s"] / row["peer_s"] <= limit
        low, high = row["ratio_interval"]
        row["decided"] = high <= limit or low > limit
    elif kind in SECONDS_TARGETS:
        limit = SECONDS_TARGETS[kind]
        row["target"] = f"≤ {limit:.2f} s"
        row["met"] = row["charter_s"] <= limit
    elif kind == "growth":  # a commit size the issue asks to see, not a target of its own
        row["target"], row["met"] = "(growth)", None
    elif kind == "claude-one-shot":  # the same call without the server, for comparison
        row["target"], row["met"] = "(no server)", None
    elif kind == "commit-resident":  # the same commit with the hooks' warm server
        row["target"], row["met"] = "(opt-in)", None
    elif kind == "cold-same-rules":  # the cold row's work on the peer's rules alone
        row["target"], row["met"] = "(same rules)", None
    else:  # the violating commit: what matters is that both block it
        caught = set(row["charter_exit"]) == {1} and set(row["peer_exit"]) == {1}
        row["target"], row["met"] = "both exit 1", caught


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
    rmtree(WORK / ".git" / "charter")
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


def peer_rows(
    runs: int,
    root: Path,
    package: str,
    sizes: Sequence[int],
    peer_env: dict[str, str],
    same_rules: str | None = None,
) -> dict[str, dict]:
    """cold, warm and the hook on commits of ``sizes`` files, each next to lint-imports;
    with ``same_rules`` (a decisions folder), cold again with those rules alone."""

    def fresh_clone() -> None:
        # Both of Charter's caches: the results, and the index's listing kept in .git/charter/.
        rmtree(root / ".charter_cache")
        rmtree(root / ".git" / "charter")

    here, peer_here = Where(root), Where(root, peer_env)
    rows: dict[str, dict] = {}
    print(f"  {root.name}: check --all / lint-imports --no-cache, cold ...", flush=True)
    row = compare(runs, [CHARTER, "check", "--all"], [LINT_IMPORTS, "--no-cache"],
                  charter_before=fresh_clone, where=here,
                  peer_where=peer_here)  # fmt: skip
    rows["cold"] = {**row, "label": "`check --all`, fresh clone (no cache)", "kind": "cold",
                    "peer_label": "`lint-imports --no-cache`"}  # fmt: skip
    if same_rules is not None:
        print(f"  {root.name}: the same, with lint-imports' two rules alone ...", flush=True)
        alone = Where(root, {"CHARTER_DECISIONS": same_rules})
        row = compare(runs, [CHARTER, "check", "--all"], [LINT_IMPORTS, "--no-cache"],
                      charter_before=fresh_clone, where=alone,
                      peer_where=peer_here)  # fmt: skip
        rows["cold_same_rules"] = {
            **row,
            "label": "`check --all`, fresh clone, with only the two import rules "
            "import-linter checks (BENCH-0001, -0002)",
            "kind": "cold-same-rules",
            "peer_label": "`lint-imports --no-cache`",
            "expect_exit": {"charter": 1, "peer": 1},
        }
    print(f"  {root.name}: check --all / lint-imports, warm ...", flush=True)
    row = compare(runs, [CHARTER, "check", "--all"], [LINT_IMPORTS], where=here,
                  peer_where=peer_here)  # fmt: skip
    rows["warm"] = {**row, "label": "`check --all`, warm", "kind": "warm",
                    "peer_label": "`lint-imports`, warm"}  # fmt: skip
    for key in ("cold", "warm"):
        rows[key]["expect_exit"] = {"charter": 1, "peer": 1}
    for n in sizes:
        print(f"  {root.name}: check --staged on a {n}-file commit ...", flush=True)
        files = edited_files(root, package, n)
        staging = Staging({path: "\n# bench: harmless comment\n" for path in files}, root)
        row = compare(runs, [CHARTER, "check", "--staged"], [LINT_IMPORTS],
                      charter_before=staging.stage, where=here, peer_where=peer_here)  # fmt: skip
        staging.restore()
        rows[f"hook_{n}"] = {
            **row,
            "label": f"`check --staged`, {n}-file commit",
            "peer_label": "`lint-imports`, warm",
            "kind": "hook" if n == 5 else "growth",
            "files": files,
            "expect_exit": {"charter": 0, "peer": 1},
        }
    return rows


def commit_rows(runs: int) -> tuple[dict, dict]:
    """What Charter's two hooks add to a whole ``git commit`` of one file (commit.py):
    one-shot, and with ``--resident`` (their warm server, started by the warm-up commit,
    waited for, and stopped after the rows)."""
    env = bench_env()
    folders = commit.install(WORK, CHARTER, tool("pre-commit"), env)
    staging = Staging({EDITED[0]: "\n# bench: harmless comment\n"})
    reset = commit.undo(WORK, env)
    run([CHARTER, "check", "--all"])  # the cache holds HEAD's facts, as in daily work
    sides = (("charter", folders["charter"]), ("nv_c", None), ("resident", folders["resident"]),
             ("nv_r", None), ("noop", folders["noop"]), ("nv_n", None))  # fmt: skip
    samples: dict[str, list[float]] = {side: [] for side, _ in sides}
    with own_resident_server() as waited:
        for i in range(runs + 1):
            for side, folder in sides:
                seconds, result = timed(commit.commit_cmd(folder), staging.stage)
                if result.returncode != 0:
                    sys.exit(f"bench: the {side} commit failed:\n{result.stdout}{result.stderr}")
                reset()
                if i:
                    samples[side].append(seconds)
            if not i:
                waited()  # the warm-up's resident commit started the server
    staging.restore()
    added_noop = commit.net(samples["noop"], samples["nv_n"])
    rows = []
    for side, nv, label in (("charter", "nv_c", "Charter's hooks"),
                            ("resident", "nv_r", "Charter's hooks with `--resident`")):  # fmt: skip
        rows.append({
            "label": f"whole `git commit` of 1 file, {label} (pre-commit + commit-msg), "
            "minus `--no-verify`",
            "peer_label": "the same pre-commit config with no-op hooks, minus `--no-verify`",
            "kind": "commit" if side == "charter" else "commit-resident",
            "charter_s": statistics.median(commit.net(samples[side], samples[nv])),
            "peer_s": statistics.median(added_noop),
            "charter_samples": samples[side],
            "peer_samples": samples["noop"],
            "no_verify_samples": samples[nv] + samples["nv_n"],
            "charter_exit": [0] * runs,
            "peer_exit": [0] * runs,
            "expect_exit": {"charter": 0, "peer": 0},
        })  # fmt: skip
    return rows[0], rows[1]


@contextlib.contextmanager
def own_resident_server() -> Iterator[Callable[[], None]]:
    """The bench's own resident server (``CHARTER_RESIDENT_NAME``) for the block, which
    calls what it yields once a call has started the server; stopped at the end."""
    env = {resident.NAME_VARIABLE: "charter-bench"}
    os.environ.update(env)  # every command the bench runs, and resident.name() here
    pid: int | None = None

    def waited() -> None:
        nonlocal pid
        for _ in range(600):
            pid = resident.server_pid()
            if pid is not None:
                return
            time.sleep(0.05)
        sys.exit("bench: the resident server did not start")

    try:
        yield waited
    finally:
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
        os.environ.pop(resident.NAME_VARIABLE)


def solo(runs: int, cmd: Sequence[str], before: object, where: Where = Where()) -> dict:
    """Median seconds of one Charter command with no peer (after one warm-up)."""
    samples, codes = [], []
    for i in range(runs + 1):
        seconds, result = timed(cmd, before, where)
        if result.returncode not in (0, 1, 2):
            sys.exit(f"bench: {' '.join(cmd)} failed ({result.returncode}):\n{result.stderr}")
        if i:
            samples.append(seconds)
            codes.append(result.returncode)
    return {"charter_s": statistics.median(samples), "charter_samples": samples,
            "charter_exit": codes, "peer_exit": []}  # fmt: skip


def fix_row(runs: int) -> dict:
    """``charter fix`` of one use of a banned name in a 2,000-line file (warm cache)."""
    original = (WORK / FIX_FILE).read_text(encoding="utf-8")

    def plant() -> None:
        (WORK / FIX_FILE).write_text(original + FIX_EDIT, encoding="utf-8")

    row = solo(runs, [CHARTER, "fix", FIX_FILE], plant)
    fixed = "timezone" in (WORK / FIX_FILE).read_text(encoding="utf-8")
    (WORK / FIX_FILE).write_text(original, encoding="utf-8")
    lines = len((original + FIX_EDIT).splitlines())
    return {**row, "label": f"`charter fix` on one {lines:,}-line file", "kind": "fix",
            "fixed": fixed, "expect_exit": {"charter": 1}}  # fmt: skip


def _claude_payload() -> str:
    """Claude Code's payload for one Edit of a Django module (it passes)."""
    path = WORK / CLAUDE_FILE
    old = path.read_text(encoding="utf-8").splitlines()[-1]
    return json.dumps({
        "tool_name": "Edit", "cwd": str(WORK),
        "tool_input": {"file_path": str(path), "old_string": old,
                       "new_string": old + "  # edited by the agent"},
    })  # fmt: skip


def claude_row(runs: int) -> dict:
    """``charter hook claude`` judging one Edit in a process of its own (no server)."""
    row = solo(runs, [CHARTER, "hook", "claude"], None, Where(WORK, stdin=_claude_payload()))
    return {**row, "label": "`charter hook claude` on one Edit, one-shot",
            "kind": "claude-one-shot", "expect_exit": {"charter": 0}}  # fmt: skip


def claude_resident_row(runs: int) -> dict:
    """``charter hook claude --resident`` judging the same Edit on its warm server: the
    first call (the warm-up) starts the server, which is waited for, and stopped after
    the row."""
    where = Where(WORK, stdin=_claude_payload())
    with own_resident_server() as waited:
        timed([CHARTER, "hook", "claude", "--resident"], None, where)
        waited()
        row = solo(runs, [CHARTER, "hook", "claude", "--resident"], None, where)
    return {**row, "label": "`charter hook claude --resident` on one Edit", "kind": "claude",
            "expect_exit": {"charter": 0}}  # fmt: skip


def violation_row(runs: int) -> dict:
    staging = Staging(VIOLATING)
    row = compare(
        runs,
        [CHARTER, "check", "--staged"],
        [RUFF, "check", "--config", str(RUFF_CONFIG), "--select", "TID251", *VIOLATING],
        charter_before=staging.stage,
    )
    staging.stage()
    _, caught = charter_json("--staged")
    staging.restore()
    return {
        **row,
        "label": f"`check --staged`, {len(VIOLATING)}-file commit with new violations",
        "peer_label": "`ruff check --select TID251`",
        "kind": "violation",
        "files": list(VIOLATING),
        "expect_exit": {"charter": 1, "peer": 1},
        "caught": [
            f"{v['path']}:{v['line']}: {v['decision']} [{v['kind']}] {v['message']}"
            for v in caught["violations"]
        ],
    }


def prepare_large() -> tuple[Path, int]:
    if LARGE.exists():
        shutil.rmtree(LARGE)
    count = large.generate(LARGE)
    git("init", "-q", cwd=LARGE)
    with (LARGE / ".git" / "info" / "exclude").open("a") as exclude:
        exclude.write(".charter_cache/\n.import_linter_cache/\n.ruff_cache/\n")
    git("add", "-A", cwd=LARGE)
    commit_packed("generated", LARGE)
    settle()
    return LARGE, count


def commit_packed(message: str, cwd: Path) -> None:
    """Commit the fresh tree, its objects packed as a clone's are. A commit of ~7,000
    new files leaves more loose objects than ``gc.auto`` allows (6,700), so git starts
    its automatic gc in the background: it repacked them while the first rows were
    timed (the first 4-5 cold samples of both tools 20-40% slower than the rest)."""
    git("-c", "gc.auto=0", "commit", "-q", "-m", message, cwd=cwd)
    git("gc", "--quiet", cwd=cwd)


def settle() -> None:
    """Flush the fresh tree's writes before anything is timed: unpacking Django and
    committing it leaves ~120 MB of dirty pages, which the kernel would otherwise write
    back while the first row (cold, both tools) is timed."""
    os.sync()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--out", type=Path, default=BENCH / "results.json", help="JSON results")
    parser.add_argument("--profile", action="store_true", help="also profile the warm hook")
    parser.add_argument("--no-large", action="store_true", help="skip the generated repository")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    load_before = _load()
    prepare_copy(fetch_sdist())
    py_files = sum(1 for _ in (WORK / "django").rglob("*.py"))
    tracked = len(git("ls-files").splitlines())
    print(f"Django {DJANGO}: {tracked} files in git, {py_files} .py files under django/")

    results: dict[str, dict] = {}
    django_rows = peer_rows(args.runs, WORK, "django", (1, 5, 10, 100), {}, SAME_RULES)
    results.update({f"django_{k}": v for k, v in django_rows.items()})
    print("  whole git commit with Charter's hooks / with no-op hooks ...", flush=True)
    results["django_commit"], results["django_commit_resident"] = commit_rows(args.runs)
    print("  charter fix / charter hook claude ...", flush=True)
    results["django_fix"] = fix_row(args.runs)
    results["django_claude"] = claude_resident_row(args.runs)
    results["django_claude_one_shot"] = claude_row(args.runs)
    results["django_violation"] = violation_row(args.runs)
    large_info = None
    if not args.no_large:
        root, count = prepare_large()
        large_info = {"modules": count}
        print(f"generated repository: {count} modules", flush=True)
        rows = peer_rows(args.runs, root, "src/bigcorp", (1, 10, 100), {"PYTHONPATH": "src"})
        results.update({f"large_{k}": v for k, v in rows.items()})
    for key, row in results.items():
        row.pop("_last", None)
        row["repository"] = "large" if key.startswith("large_") else "django"
        judge(row)

    print("sanity checks ...", flush=True)
    checks = sanity({k: v for k, v in results.items() if v.get("peer_exit")})
    _more_sanity(results, checks)
    if large_info is not None:
        large_info["sanity"] = large_sanity()
        checks["failures"].extend(large_info["sanity"]["failures"])
    builder_rows = {"Django": builders.measure(WORK, "django", 3)}
    if large_info is not None:
        # One run each: the ast fallback alone takes minutes on 11,106 files.
        builder_rows["generated"] = builders.measure(LARGE, "src/bigcorp", 1)

    prof = None
    if args.profile:
        print("profiling the warm hook ...", flush=True)
        prof = profile(CACHE)

    info = {
        "machine": {**machine(), "load_before": load_before, "load_after": _load()},
        "versions": versions(),
    }
    document = {
        "schema": "charter-bench/2",
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "runs": args.runs,
        **info,
        "django_files": {"git": tracked, "py_under_django": py_files},
        "large": large_info,
        "results": results,
        "builders": builder_rows,
        "sanity": checks,
        "profile": prof,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n")
    report(document, args.runs)
    print(f"\nraw numbers: {args.out}")
    if checks["failures"]:
        print("\nSANITY CHECKS FAILED:", *checks["failures"], sep="\n- ")
        return 1
    return 0


def _more_sanity(results: dict, checks: dict) -> None:
    fix = results["django_fix"]
    if not fix["fixed"]:
        checks["failures"].append("charter fix did not rewrite the banned call")
    for key in ("django_fix", "django_claude", "django_claude_one_shot"):
        expected = results[key]["expect_exit"]["charter"]
        if set(results[key]["charter_exit"]) != {expected}:
            checks["failures"].append(f"{key}: exited {results[key]['charter_exit']}")
    hook_decisions = {
        line.split(": ")[1].split()[0] for line in results["django_violation"]["caught"]
    }
    if hook_decisions != {"BENCH-0001", "BENCH-0002", "BENCH-0003"}:
        checks["failures"].append(f"the violating commit was caught by {sorted(hook_decisions)}")


def large_sanity() -> dict:
    """On the generated repository, too: broken for lint-imports <=> Charter findings."""
    result = run([CHARTER, "check", "--all", "--format", "json"], cwd=LARGE)
    per_decision = Counter(v["decision"] for v in json.loads(result.stdout)["violations"])
    li = run([LINT_IMPORTS], cwd=LARGE, extra_env={"PYTHONPATH": "src"})
    failures = []
    contracts = {}
    for name, decision in large.CONTRACTS.items():
        match = re.search(rf"^{re.escape(name)} (KEPT|BROKEN)$", li.stdout, re.MULTILINE)
        verdict = match.group(1) if match else "?"
        contracts[name] = {"charter_findings": per_decision[decision], "lint_imports": verdict}
        if (per_decision[decision] > 0) != (verdict == "BROKEN"):
            failures.append(f"generated repository: verdicts differ on {name!r}")
    return {"contracts": contracts, "banned": per_decision[large.BANNED_DECISION],
            "failures": failures}  # fmt: skip


def report(document: dict, runs: int) -> None:
    m, v = document["machine"], document["versions"]
    results = document["results"]
    for repository, title in (("django", f"Django {DJANGO} (879 modules)"),
                              ("large", "the generated repository")):  # fmt: skip
        rows = {k: r for k, r in results.items() if r["repository"] == repository}
        if not rows:
            continue
        if repository == "large":
            title = f"the generated repository ({document['large']['modules']:,} modules)"
        print(f"\n## Charter vs its peers on {title}, median of {runs}\n")
        print(table(rows))
    print("\n## Import-graph builders, in-process (Django: median of 3; generated: 1 run)\n")
    print(builders.table(document["builders"]))
    print(f"\n- machine: {m['nproc']} cores, {m['cpu']}, Python {m['python']}, {m['platform']}")
    print(f"- load average (1, 5, 15 min): {m['load_before']} before, {m['load_after']} after")
    print(
        f"- versions: charter {v['charter']} ({v['charter_commit']}), import-linter "
        f"{v['import-linter']} (grimp {v['grimp']}), ruff {v['ruff']}, Django {v['django']}"
    )
    checks = document["sanity"]
    print("\nSanity:")
    for name, entry in checks["contracts"].items():
        print(
            f"- {entry['decision']} / {name!r}: charter {entry['charter_findings']} findings, "
            f"lint-imports {entry['lint_imports']} ({entry['lint_imports_chains']} chains)"
        )
    b = checks["banned_api"]
    print(f"- pickle.loads: charter {b['charter_findings']}, ruff TID251 {b['ruff_findings']}")
    if document["large"] is not None:
        for name, entry in document["large"]["sanity"]["contracts"].items():
            print(f"- generated, {name!r}: charter {entry['charter_findings']} findings, "
                  f"lint-imports {entry['lint_imports']}")  # fmt: skip
    print("- the violating commit, as charter --staged reports it:")
    for line in results["django_violation"]["caught"]:
        print(f"    {line}")
    if document["profile"] is not None:
        print_profile(document["profile"], results["django_hook_1"]["charter_s"])


def print_profile(prof: dict, hook_s: float) -> None:
    ph = prof["phases"]
    print()
    print(f"Warm hook on a 1-file commit ({hook_s * 1000:.0f} ms median as a whole process):")
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


if __name__ == "__main__":
    if not environment.inside():
        environment.reexec()  # Charter as pre-commit installs it (bench/environment.py)
    raise SystemExit(main())
