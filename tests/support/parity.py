"""Parity with import-linter: one contract written for both tools, run by both.

A test builds a small flat-layout package (``pkg/`` at the root of a git repository),
writes one contract twice — as an ``.importlinter`` file and as a Charter decision —
runs the real ``lint-imports`` in a subprocess and ``charter check --all --format json``
in-process, and compares what both said (``Verdict``):

- the offending *direct* imports agree exactly, as (importer, imported, line);
- an *indirect* chain agrees on its endpoints (the importer that starts it and the module
  it finally reaches) and, where only one shortest chain exists, on every link.

import-linter prints every line of a repeated import on one entry (``(l.2, l.5)``);
Charter reports each import on its own line, so import-linter's entries are expanded to
one per line before comparing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from support.repo import write_file

Charter = Callable[..., tuple[int, str, str]]  # the ``charter`` fixture of conftest.py

_BIN = Path(sys.executable).parent / "lint-imports"
LINT_IMPORTS = shutil.which("lint-imports") or (str(_BIN) if _BIN.exists() else None)


def write_decision_constraint(root: Path, constraint_yaml: str) -> None:
    """``docs/decisions/0001-parity.md``: decision ADR-0001 with the one constraint."""
    body = textwrap.indent(textwrap.dedent(constraint_yaml).strip(), "    ")
    text = "---\nid: ADR-0001\ntitle: T\nstatus: accepted\nconstraints:\n  - "
    write_file(root, "docs/decisions/0001-parity.md", text + body.lstrip() + "\n---\n")


def has_acyclic_siblings() -> bool:
    """import-linter has an acyclic contract (``acyclic_siblings``) only since 2.x."""
    try:
        return importlib.util.find_spec("importlinter.contracts.acyclic_siblings") is not None
    except ModuleNotFoundError:
        return False


Link = tuple[str, str, int]  # importer, imported, line
Chain = tuple[Link, ...]


@dataclass(frozen=True)
class Verdict:
    """What one tool said about one contract."""

    kept: bool
    direct: frozenset[Link]  # offending direct imports
    chains: frozenset[Chain]  # offending indirect chains (two or more links)

    @property
    def endpoints(self) -> frozenset[tuple[str, str]]:
        """(the module that starts a chain, the module it finally reaches)."""
        return frozenset((chain[0][0], chain[-1][1]) for chain in self.chains)


# --- building the package and the two configurations -------------------------------------


def build(root: Path, files: dict[str, str]) -> None:
    """``pkg/...`` files; every folder on the way gets an ``__init__.py``."""
    for rel, text in files.items():
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            init = root.joinpath(*parts[:depth], "__init__.py")
            if not init.exists():
                write_file(root, init.relative_to(root).as_posix())
        write_file(root, rel, text)


def write_importlinter(root: Path, contract: str, *, exclude_type_checking: bool = False) -> None:
    """An ``.importlinter`` with one contract, named ``parity``."""
    session = "[importlinter]\nroot_package = pkg\n"
    if exclude_type_checking:
        session += "exclude_type_checking_imports = True\n"
    body = textwrap.dedent(contract).strip()
    text = f"{session}\n[importlinter:contract:parity]\nname = parity\n{body}\n"
    (root / ".importlinter").write_text(text, encoding="utf-8")


def write_charter(root: Path, constraint: str) -> None:
    """A decision ADR-0001 with the one constraint (YAML, without the leading '- ')."""
    write_decision_constraint(root, constraint)


# --- running import-linter and reading its report ------------------------------------------

_STATUS = re.compile(r"^parity (KEPT|BROKEN)\b", re.MULTILINE)
_LINES = r"\((?P<lines>l\.[^)]*)\)"
_LINK = re.compile(rf"^(?P<importer>\S+) -> (?P<imported>\S+) {_LINES}$")
_BARE = re.compile(rf"^(?P<module>\S+) {_LINES}$")
_CYCLE_PACKAGE = re.compile(r"^No cycles are allowed in (\S+)\.$")
_CYCLE_DEPENDENCY = re.compile(r"^- \.(\S+) -> \.(\S+) \(\d+ imports?\)$")

Lines = tuple[int, ...]


def _line_numbers(text: str) -> Lines:
    return tuple(int(item.strip().removeprefix("l.")) for item in text.split(","))


@dataclass
class _Route:
    """One rendered chain: its links, plus import-linter's extra heads and tails."""

    links: list[tuple[str, str, Lines]]
    heads: list[tuple[str, Lines]]  # further importers of the first link's target
    tails: list[tuple[str, Lines]]  # further targets of the last link's importer


def _parse_routes(report: str) -> list[_Route]:
    """The chains in the report of a broken forbidden, layers or independence contract.

    A chain starts at a line beginning with ``-``; its further links are indented. When
    several importers share the first hop, import-linter writes ``- a (l.1)``,
    ``& b (l.2)``, ..., ``& z -> hop (l.3)``; several targets of the last link follow it
    as ``& target (l.4)``.
    """
    routes: list[_Route] = []
    pending: list[tuple[str, Lines]] = []  # heads still waiting for their hop
    _, _, broken = report.partition("Broken contracts")
    for raw in broken.splitlines():
        text = raw.strip()
        if text.startswith("- "):
            routes.append(_Route([], [], []))
            pending = []
            text = text[2:].strip()
        elif not routes or not raw.startswith(" "):
            continue
        route = routes[-1]
        text = text.removeprefix("& ")
        if link := _LINK.match(text):
            lines = _line_numbers(link["lines"])
            if pending:
                (first, first_lines), *others = [*pending, (link["importer"], lines)]
                route.links.append((first, link["imported"], first_lines))
                route.heads.extend(others)
                pending = []
            else:
                route.links.append((link["importer"], link["imported"], lines))
        elif bare := _BARE.match(text):
            item = (bare["module"], _line_numbers(bare["lines"]))
            if pending or not route.links:
                pending.append(item)
            else:
                route.tails.append(item)
    return [route for route in routes if route.links]


def _expand(routes: Iterable[_Route]) -> tuple[set[Link], set[Chain]]:
    """Direct imports (one per line number) and chains (one per extra head and tail).

    A chain link imported on several lines is taken at its first line, as Charter does.
    """
    direct: set[Link] = set()
    chains: set[Chain] = set()
    for route in routes:
        links = route.links
        if len(links) == 1:
            importer, imported, lines = links[0]
            direct.update((importer, imported, line) for line in lines)
            continue
        middle = tuple((a, b, min(lines)) for a, b, lines in links[1:-1])
        hop, last = links[0][1], links[-1][0]
        for importer, lines in [(links[0][0], links[0][2]), *route.heads]:
            for target, end_lines in [(links[-1][1], links[-1][2]), *route.tails]:
                chains.add(((importer, hop, min(lines)), *middle, (last, target, min(end_lines))))
    return direct, chains


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    assert LINT_IMPORTS is not None
    return subprocess.run(
        [LINT_IMPORTS, "--config", ".importlinter", "--no-cache", "--no-logo"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def offending(report: str) -> tuple[set[Link], set[Chain]]:
    """The direct imports and chains a ``lint-imports`` report blames."""
    return _expand(_parse_routes(report))


def lint_imports_error(root: Path) -> str:
    """Run ``lint-imports``, which must stop on an error (no verdict); its report."""
    result = _lint_imports(root)
    report = result.stdout + result.stderr
    assert result.returncode != 0 and _STATUS.search(report) is None, report
    return report


def run_lint_imports(root: Path) -> tuple[Verdict, str]:
    """Run the real ``lint-imports`` on ``root``; the verdict and the raw report."""
    result = _lint_imports(root)
    report = result.stdout + result.stderr
    status = _STATUS.search(report)
    assert status is not None, report
    kept = status[1] == "KEPT"
    assert result.returncode == (0 if kept else 1), report
    direct, chains = _expand(_parse_routes(report)) if not kept else (set(), set())
    return Verdict(kept, frozenset(direct), frozenset(chains)), report


def lint_imports_cycles(report: str) -> dict[str, set[tuple[str, str]]]:
    """acyclic_siblings: package -> the dependencies (child -> child) it would remove."""
    cycles: dict[str, set[tuple[str, str]]] = {}
    package = ""
    for raw in report.splitlines():
        line = raw.strip()
        if found := _CYCLE_PACKAGE.match(line):
            package = found[1]
            cycles[package] = set()
        elif (dependency := _CYCLE_DEPENDENCY.match(line)) and package:
            cycles[package].add((f"{package}.{dependency[1]}", f"{package}.{dependency[2]}"))
    return cycles


# --- running Charter and reading its JSON ----------------------------------------------------


def module_of(path: str) -> str:
    """``pkg/a/top.py`` -> ``pkg.a.top``; ``pkg/a/__init__.py`` -> ``pkg.a`` (flat layout)."""
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _step(text: str) -> tuple[str, int]:
    module, _, line = text.rpartition(":")
    return module, int(line)


def run_charter(root: Path, charter: Charter) -> tuple[Verdict, list[dict[str, object]]]:
    code, out, err = charter("check", "--all", "--format", "json", "--root", root)
    assert code in (0, 1), err
    reported: list[dict[str, object]] = json.loads(out)["violations"]
    # A warning (an unmatched ignore_imports entry, alerting 'warning') does not break.
    violations = [v for v in reported if v.get("severity", "error") == "error"]
    assert (code == 0) == (not violations), out
    direct: set[Link] = set()
    chains: set[Chain] = set()
    for violation in violations:
        chain = violation["chain"]
        assert isinstance(chain, list)
        if not chain:
            line = violation["line"]
            assert isinstance(line, int)
            direct.add((module_of(str(violation["path"])), str(violation["key"]), line))
            continue
        steps = [_step(str(step)) for step in chain[:-1]]
        # A chain is reported at its first import.
        assert steps[0] == (module_of(str(violation["path"])), violation["line"]), violation
        targets = [module for module, _ in steps[1:]] + [str(chain[-1])]
        chains.add(tuple((m, t, line) for (m, line), t in zip(steps, targets, strict=True)))
    return Verdict(not violations, frozenset(direct), frozenset(chains)), violations


def both(root: Path, charter: Charter) -> tuple[Verdict, Verdict]:
    """(import-linter's verdict, Charter's verdict) on the repository at ``root``."""
    linter, _ = run_lint_imports(root)
    ours, _ = run_charter(root, charter)
    return linter, ours


def assert_same(linter: Verdict, ours: Verdict) -> None:
    """Same verdict, same direct imports, same chains (for unambiguous chains)."""
    assert ours.kept == linter.kept
    assert ours.direct == linter.direct
    assert ours.chains == linter.chains


def same_verdict(
    repo: Path, charter: Charter, direct: set[Link], chains: set[Chain] | None = None
) -> None:
    """Both tools: import-linter says these direct imports and chains (kept if none),
    and Charter says the same."""
    chains = chains or set()
    linter, ours = both(repo, charter)
    assert linter == Verdict(not direct and not chains, frozenset(direct), frozenset(chains))
    assert_same(linter, ours)
