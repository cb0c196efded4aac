"""Three ways to find every module's imports, timed on the same files in one run.

    python bench/builders.py REPO_DIR PACKAGE_FOLDER [--runs 3]

- ``native``: ``charter.hooks.source.native.scan`` (grimp's Rust scanner locates the
  statements, Charter reads them back), what ``check`` uses for the import table;
- ``ast``: ``facts.extract`` on every core (``source/batch.py``), the fallback, which
  also collects the uses banned-api needs;
- ``ruff``: ``ruff analyze graph`` (a subprocess), which maps files to the files they
  import, with no line numbers: not enough for Charter's findings, timed as the peer;
- ``grimp``: grimp's own graph, as import-linter builds it (``grimp.build_graph(...,
  cache_dir=None)``, which reads the files itself), then every edge's line numbers and
  line contents (``graph.get_import_details``): what Charter would read instead of
  reading each located statement back.

Also checks that ``native`` gives exactly the imports ``ast`` gives for every file it
read. Prints one Markdown table (median seconds, ratio against ``ast``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from charter.hooks.source import native
from charter.hooks.source.batch import extract_many
from charter.hooks.source.modules import module_name


def jobs_of(root: Path, folder: str) -> dict[str, native.Job]:
    base = root / folder
    jobs = {}
    strip = len(Path(folder).parts) - 1  # src/bigcorp -> module names start at bigcorp
    for path in sorted(base.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        module = module_name("/".join(rel.split("/")[strip:]))
        if module is not None:
            text = path.read_text(encoding="utf-8")
            jobs[rel] = native.Job(module, rel.endswith("__init__.py"), text)
    return jobs


def _time(action: object, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def grimp_graph(root: Path, folder: str) -> int:
    """grimp's graph of the package with every import's details; the number of details."""
    import grimp

    top = Path(folder).name
    parent = str(root / Path(folder).parent)
    if parent not in sys.path:
        sys.path.insert(0, parent)
    graph = grimp.build_graph(top, include_external_packages=True, cache_dir=None)
    count = 0
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            count += len(graph.get_import_details(importer=importer, imported=imported))
    return count


def measure(root: Path, folder: str, runs: int) -> dict[str, object]:
    jobs = jobs_of(root, folder)
    items = [(job.text, job.module, job.is_package) for job in jobs.values()]
    found = native.scan(jobs)
    facts = extract_many(items)
    same = all(found[p] == f.imports for p, f in zip(jobs, facts, strict=True) if p in found)
    ruff = str(Path(sys.executable).parent / "ruff")
    ruff_cmd = [ruff, "analyze", "graph", folder]
    times = {
        "native": _time(lambda: native.scan(jobs), runs),
        "ast": _time(lambda: extract_many(items), runs),
        "ruff": _time(lambda: subprocess.run(ruff_cmd, cwd=root, capture_output=True), runs),
        "grimp": _time(lambda: grimp_graph(root, folder), runs),
    }
    edges = json.loads(subprocess.run(ruff_cmd, cwd=root, capture_output=True).stdout or "{}")
    return {
        "files": len(jobs),
        "native_files": len(found),
        "native_equals_ast": same,
        "ruff_files": len(edges),
        "seconds": times,
        "load": os.getloadavg(),
    }


def table(rows: dict[str, dict[str, object]]) -> str:
    lines = [
        "| repository | files | builder | median s | vs ast | line numbers | same imports as ast |",
        "|---|---:|---|---:|---:|---|---|",
    ]
    for name, row in rows.items():
        seconds: dict[str, float] = row["seconds"]  # type: ignore[assignment]
        for builder, lines_, same in (
            ("native (grimp locates, Charter reads)", "yes", f"{row['native_equals_ast']} "
             f"({row['native_files']} files natively)"),
            ("ast on every core (fallback)", "yes", "—"),
            ("ruff analyze graph (subprocess)", "no", "— (file to file only)"),
            ("grimp graph + get_import_details", "yes", "— (lossy: see below)"),
        ):  # fmt: skip
            key = builder.split()[0]
            ratio = seconds[key] / seconds["ast"]
            lines.append(
                f"| {name} | {row['files']} | {builder} | {seconds[key]:.3f} | {ratio:.2f}x "
                f"| {lines_} | {same} |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("folder")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    row = measure(args.root, args.folder, args.runs)
    print(table({args.root.name: row}))
    return 0 if row["native_equals_ast"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
