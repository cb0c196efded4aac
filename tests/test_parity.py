"""Parity with import-linter: the same contracts, run by both tools on the same packages.

Each test builds a small flat-layout package (``pkg/`` at the root of a git repository),
writes one contract twice — as an ``.importlinter`` file and as a Charter decision — runs
the real ``lint-imports`` in a subprocess and ``charter check --all --format json``
in-process, and asserts that both reach the same verdict (kept or broken) and blame the
same imports:

- the offending *direct* imports agree exactly, as (importer, imported, line);
- an *indirect* chain agrees on its endpoints (the importer that starts it and the module
  it finally reaches) and, where only one shortest chain exists, on every link.

Where the tools differ only in how they report, the tests assert what must agree and a
comment says what differs. import-linter prints every line of a repeated import on one
entry (``(l.2, l.5)``); Charter reports each import on its own line, so import-linter's
entries are expanded to one per line before comparing.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.repo import Charter, decision, write_decision, write_file

_BIN = Path(sys.executable).parent / "lint-imports"
LINT_IMPORTS = shutil.which("lint-imports") or (str(_BIN) if _BIN.exists() else None)

pytestmark = pytest.mark.skipif(LINT_IMPORTS is None, reason="import-linter is not installed")


def _has_acyclic_siblings() -> bool:
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
    body = textwrap.indent(textwrap.dedent(constraint).strip(), "    ")
    extra = "constraints:\n  - " + body.lstrip()
    write_decision(root, "0001-parity.md", decision("ADR-0001", extra=extra))


# --- running import-linter and reading its report ------------------------------------------

_STATUS = re.compile(r"^parity (KEPT|BROKEN)$", re.MULTILINE)
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


def run_lint_imports(root: Path) -> tuple[Verdict, str]:
    """Run the real ``lint-imports`` on ``root``; the verdict and the raw report."""
    assert LINT_IMPORTS is not None
    result = subprocess.run(
        [LINT_IMPORTS, "--config", ".importlinter", "--no-cache", "--no-logo"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )
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
    violations: list[dict[str, object]] = json.loads(out)["violations"]
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


# --- layers ---------------------------------------------------------------------------------

LAYERED = {
    "pkg/high/api.py": "X = 1\n",
    "pkg/high/top.py": "from pkg.low import util\n",  # downwards: allowed
    "pkg/mid/svc.py": "from pkg.high import api\n",  # mid -> high
    # low -> mid; low ~> high via mid runs through another layer: mid's violation only.
    "pkg/low/util.py": '"""Low."""\nimport pkg.mid.svc\n',
    # low ~> high via a module in no layer: an indirect violation of its own.
    "pkg/low/helper.py": "import os\n\nfrom pkg import shared\n",
    "pkg/shared.py": "from pkg.high.api import X\n",
}


def test_layers_broken_directly_and_through_a_module_in_no_layer(
    repo: Path, charter: Charter
) -> None:
    build(repo, LAYERED)
    write_importlinter(
        repo,
        """
        type = layers
        layers =
            pkg.high
            pkg.mid
            pkg.low
        """,
    )
    write_charter(repo, "kind: layers\nlayers: [pkg.high, pkg.mid, pkg.low]")
    linter, ours = both(repo, charter)
    assert linter == Verdict(
        kept=False,
        direct=frozenset({("pkg.mid.svc", "pkg.high.api", 1), ("pkg.low.util", "pkg.mid.svc", 2)}),
        chains=frozenset(
            {(("pkg.low.helper", "pkg.shared", 3), ("pkg.shared", "pkg.high.api", 1))}
        ),
    )
    assert_same(linter, ours)


def test_layers_kept(repo: Path, charter: Charter) -> None:
    build(
        repo,
        {
            "pkg/high/api.py": "from pkg.mid import svc\nfrom pkg.low import util\n",
            "pkg/mid/svc.py": "from pkg.low import util\nfrom pkg import shared\n",
            "pkg/low/util.py": "import json\n",
            "pkg/shared.py": "from pkg.low import util\n",
        },
    )
    write_importlinter(repo, "type = layers\nlayers =\n    pkg.high\n    pkg.mid\n    pkg.low")
    write_charter(repo, "kind: layers\nlayers: [pkg.high, pkg.mid, pkg.low]")
    linter, ours = both(repo, charter)
    assert linter == Verdict(True, frozenset(), frozenset())
    assert_same(linter, ours)


def test_layers_chains_sharing_a_hop(repo: Path, charter: Charter) -> None:
    """Two low modules reach two high modules through one module in no layer.

    import-linter renders this as one route with two heads and two tails (``&`` lines);
    Charter reports one chain per (module, higher layer): the shortest, to the first
    target found. Both blame the same two modules at the same first import, and every
    chain Charter reports is one of import-linter's.
    """
    build(
        repo,
        {
            "pkg/high/api.py": "X = 1\n",
            "pkg/high/views.py": "X = 1\n",
            "pkg/low/a.py": "from pkg import shared\n",
            "pkg/low/b.py": '"""B."""\nimport pkg.shared\n',
            "pkg/shared.py": "from pkg.high import api\nfrom pkg.high import views\n",
        },
    )
    write_importlinter(repo, "type = layers\nlayers =\n    pkg.high\n    pkg.low")
    write_charter(repo, "kind: layers\nlayers: [pkg.high, pkg.low]")
    linter, ours = both(repo, charter)
    heads = {("pkg.low.a", "pkg.shared", 1), ("pkg.low.b", "pkg.shared", 2)}
    tails = {("pkg.shared", "pkg.high.api", 1), ("pkg.shared", "pkg.high.views", 2)}
    assert linter == Verdict(False, frozenset(), frozenset(itertools.product(heads, tails)))
    assert ours.kept is False and ours.direct == set()
    assert ours.chains < linter.chains
    assert {chain[0] for chain in ours.chains} == heads


SIBLINGS = {
    "pkg/app/main.py": "from pkg.left import a\nfrom pkg.right import b\n",
    "pkg/left/a.py": "from pkg.base import core\n",
    "pkg/right/b.py": "from pkg.base import core\n",
    "pkg/base/core.py": "X = 1\n",
}


@pytest.mark.parametrize(
    ("extra", "direct", "chains"),
    [
        pytest.param({}, set(), set(), id="kept"),
        pytest.param(
            {"pkg/left/a.py": "from pkg.base import core\nfrom pkg.right import b\n"},
            {("pkg.left.a", "pkg.right.b", 2)},
            set(),
            id="sibling-imports-sibling",
        ),
        pytest.param(
            # base ~> left via glue (in no layer); base ~> right would run on through left.
            {
                "pkg/left/a.py": "from pkg.base import core\nfrom pkg.right import b\n",
                "pkg/base/core.py": "from pkg import glue\n",
                "pkg/glue.py": '"""Glue."""\nimport pkg.left.a\n',
            },
            {("pkg.left.a", "pkg.right.b", 2)},
            {(("pkg.base.core", "pkg.glue", 1), ("pkg.glue", "pkg.left.a", 2))},
            id="lower-layer-reaches-a-sibling-indirectly",
        ),
    ],
)
def test_layers_with_independent_siblings(
    repo: Path,
    charter: Charter,
    extra: dict[str, str],
    direct: set[Link],
    chains: set[Chain],
) -> None:
    build(repo, {**SIBLINGS, **extra})
    write_importlinter(
        repo,
        """
        type = layers
        layers =
            pkg.app
            pkg.left | pkg.right
            pkg.base
        """,
    )
    write_charter(repo, "kind: layers\nlayers: [pkg.app, [pkg.left, pkg.right], pkg.base]")
    linter, ours = both(repo, charter)
    assert linter == Verdict(not direct and not chains, frozenset(direct), frozenset(chains))
    assert_same(linter, ours)


def test_layers_in_containers(repo: Path, charter: Charter) -> None:
    build(
        repo,
        {
            "pkg/one/api/views.py": "from pkg.one.domain import model\n",
            # Across containers is not a layer question for either tool.
            "pkg/one/domain/model.py": "from pkg.two.api import views\n",
            "pkg/two/api/views.py": "from pkg.two.domain import model\n",
            "pkg/two/domain/model.py": "def late():\n    from ..api import views\n",
        },
    )
    write_importlinter(
        repo,
        """
        type = layers
        containers =
            pkg.one
            pkg.two
        layers =
            api
            domain
        """,
    )
    write_charter(repo, "kind: layers\ncontainers: [pkg.one, pkg.two]\nlayers: [api, domain]")
    linter, ours = both(repo, charter)
    assert linter == Verdict(
        False, frozenset({("pkg.two.domain.model", "pkg.two.api.views", 2)}), frozenset()
    )
    assert_same(linter, ours)


# --- forbidden ------------------------------------------------------------------------------

FORBIDDEN_DIRECT = {
    "pkg/__init__.py": "",
    # A package's __init__ is the module pkg.a; relative imports resolve from pkg.a itself.
    "pkg/a/__init__.py": "from pkg import c\nfrom .. import c as again\n",
    "pkg/a/top.py": '''\
        """Every way of spelling an import of pkg.c."""
        import os
        from pkg.b import mid
        from pkg.c import deep
        from pkg.c.deep import X
        import pkg.c
        from ..c import deep as again
        from pkg.c import deep as d, NAME  # one module, one name: pkg.c.deep and pkg.c
        from pkg.c import *


        def late():
            import pkg.c.deep

            return pkg.c.deep
        ''',
    "pkg/b/mid.py": "from pkg.c import deep\n",  # pkg.a ~> pkg.c via pkg.b: indirect only
    "pkg/c/__init__.py": "NAME = 1\n",
    "pkg/c/deep.py": "X = 1\n",
}


def test_forbidden_direct_only(repo: Path, charter: Charter) -> None:
    """Charter ``transitive: false`` is import-linter's ``allow_indirect_imports = True``."""
    build(repo, FORBIDDEN_DIRECT)
    write_importlinter(
        repo,
        """
        type = forbidden
        source_modules = pkg.a
        forbidden_modules = pkg.c
        allow_indirect_imports = True
        """,
    )
    write_charter(repo, "kind: forbid-import\nfrom: pkg.a\nto: pkg.c\ntransitive: false")
    linter, ours = both(repo, charter)
    assert linter == Verdict(
        False,
        frozenset(
            {
                ("pkg.a", "pkg.c", 1),
                ("pkg.a", "pkg.c", 2),
                ("pkg.a.top", "pkg.c.deep", 4),
                ("pkg.a.top", "pkg.c.deep", 5),
                ("pkg.a.top", "pkg.c", 6),
                ("pkg.a.top", "pkg.c.deep", 7),
                ("pkg.a.top", "pkg.c.deep", 8),
                ("pkg.a.top", "pkg.c", 8),
                ("pkg.a.top", "pkg.c", 9),
                ("pkg.a.top", "pkg.c.deep", 13),
            }
        ),
        frozenset(),
    )
    assert_same(linter, ours)


FORBIDDEN_CHAIN = {
    "pkg/c/deep.py": "X = 1\n",
    "pkg/b/mid.py": '"""Mid."""\nfrom pkg.c import deep\n',
    "pkg/b/far.py": "from pkg.b import mid\n",
    "pkg/a/top.py": "import os\n\nfrom pkg.b import far\n",
    # Reaches pkg.c only through pkg.a.top: the chain is pkg.a.top's, not pkg.a.side's.
    "pkg/a/side.py": "from pkg.a import top\n",
    "pkg/a/direct.py": "from pkg.c.deep import X\n",
}


@pytest.mark.parametrize("transitive", [True, False])
def test_forbidden_transitive(repo: Path, charter: Charter, transitive: bool) -> None:
    """Charter ``transitive: true`` is import-linter's default; both report the chain."""
    build(repo, FORBIDDEN_CHAIN)
    allow = "" if transitive else "allow_indirect_imports = True"
    write_importlinter(
        repo, f"type = forbidden\nsource_modules = pkg.a\nforbidden_modules = pkg.c\n{allow}"
    )
    write_charter(
        repo, f"kind: forbid-import\nfrom: pkg.a\nto: pkg.c\ntransitive: {str(transitive).lower()}"
    )
    linter, ours = both(repo, charter)
    chain = (
        ("pkg.a.top", "pkg.b.far", 3),
        ("pkg.b.far", "pkg.b.mid", 1),
        ("pkg.b.mid", "pkg.c.deep", 2),
    )
    assert linter == Verdict(
        False,
        frozenset({("pkg.a.direct", "pkg.c.deep", 1)}),
        frozenset({chain} if transitive else set()),
    )
    assert linter.endpoints == ({("pkg.a.top", "pkg.c.deep")} if transitive else set())
    assert_same(linter, ours)
    assert ours.endpoints == linter.endpoints


def test_forbidden_chain_from_a_module_that_also_imports_directly(
    repo: Path, charter: Charter
) -> None:
    """A module with a direct import and an indirect chain to the same target.

    import-linter lists the direct import and, separately, the chain. Charter reports a
    transitive violation once per (module, target): the direct import already is that
    module's violation, so the chain is not reported as well (it shows once the direct
    import is gone). The verdict and the direct imports agree.
    """
    build(
        repo,
        {
            "pkg/c/deep.py": "X = 1\n",
            "pkg/b/mid.py": "from pkg.c import deep\n",
            "pkg/a/top.py": "from pkg.b import mid\nfrom pkg.c import deep\n",
        },
    )
    write_importlinter(repo, "type = forbidden\nsource_modules = pkg.a\nforbidden_modules = pkg.c")
    write_charter(repo, "kind: forbid-import\nfrom: pkg.a\nto: pkg.c\ntransitive: true")
    linter, ours = both(repo, charter)
    assert linter.kept is ours.kept is False
    assert linter.direct == ours.direct == {("pkg.a.top", "pkg.c.deep", 2)}
    assert linter.chains == {(("pkg.a.top", "pkg.b.mid", 1), ("pkg.b.mid", "pkg.c.deep", 1))}
    assert ours.chains == set()

    write_file(repo, "pkg/a/top.py", "from pkg.b import mid\n")
    linter, ours = both(repo, charter)
    assert linter.direct == ours.direct == set()
    assert_same(linter, ours)
    assert ours.chains == {(("pkg.a.top", "pkg.b.mid", 1), ("pkg.b.mid", "pkg.c.deep", 1))}


# --- independence ---------------------------------------------------------------------------

INDEPENDENT = {
    "pkg/parts/x/m.py": "from pkg.parts.y import n\n",  # x -> y
    "pkg/parts/y/n.py": '"""N."""\nfrom pkg.parts.z import k\n',  # y -> z; x ~> z runs via y
    "pkg/parts/z/k.py": "import pkg.shared\n",
    "pkg/parts/z/p.py": '"""P."""\n\nfrom pkg import glue\n',  # z ~> x via glue (in no part)
    "pkg/glue.py": "import pkg.parts.x.m\n",
    "pkg/shared.py": "X = 1\n",
}


@pytest.mark.parametrize(
    ("il_modules", "charter_modules"),
    [
        pytest.param(
            "pkg.parts.x\n    pkg.parts.y\n    pkg.parts.z",
            "[pkg.parts.x, pkg.parts.y, pkg.parts.z]",
            id="listed",
        ),
        pytest.param("pkg.parts.*", "['pkg.parts.*']", id="wildcard"),
    ],
)
def test_independence(repo: Path, charter: Charter, il_modules: str, charter_modules: str) -> None:
    """A chain that runs through another of the modules is that module's violation."""
    build(repo, INDEPENDENT)
    write_importlinter(repo, f"type = independence\nmodules =\n    {il_modules}")
    write_charter(repo, f"kind: independent\nmodules: {charter_modules}")
    linter, ours = both(repo, charter)
    assert linter == Verdict(
        False,
        frozenset({("pkg.parts.x.m", "pkg.parts.y.n", 1), ("pkg.parts.y.n", "pkg.parts.z.k", 2)}),
        frozenset({(("pkg.parts.z.p", "pkg.glue", 3), ("pkg.glue", "pkg.parts.x.m", 1))}),
    )
    assert_same(linter, ours)


def test_independence_kept(repo: Path, charter: Charter) -> None:
    build(
        repo,
        {
            "pkg/x/m.py": "from pkg import shared\n",
            "pkg/y/n.py": "import pkg.shared\n",
            "pkg/shared.py": "import json\n",
        },
    )
    write_importlinter(repo, "type = independence\nmodules =\n    pkg.x\n    pkg.y")
    write_charter(repo, "kind: independent\nmodules: [pkg.x, pkg.y]")
    linter, ours = both(repo, charter)
    assert linter == Verdict(True, frozenset(), frozenset())
    assert_same(linter, ours)


# --- acyclic --------------------------------------------------------------------------------

# import-linter 2.x has ``acyclic_siblings``: with ``depth = 0`` it looks for cycles among
# the children of the ancestor only, as Charter's ``acyclic`` does for ``packages``. It
# reports no line numbers but the child-to-child dependencies that would break the cycles;
# Charter reports each cycle (a strongly connected set of children) once, at one import.
# What must agree: the verdict, and that every dependency import-linter would remove lies
# within one of Charter's cycles, and every Charter cycle contains one of them.


@pytest.mark.skipif(not _has_acyclic_siblings(), reason="import-linter lacks acyclic_siblings")
@pytest.mark.parametrize(
    ("files", "cycles"),
    [
        pytest.param(
            {
                "pkg/a/x.py": "from pkg.b import y\n",
                "pkg/b/y.py": "X = 1\n",
                "pkg/b/z.py": '"""Z."""\nimport pkg.a.x\n',
                "pkg/c/w.py": "from pkg.a import x\n",  # into the cycle, not part of it
            },
            [{"pkg.a", "pkg.b"}],
            id="two-children",
        ),
        pytest.param(
            {
                "pkg/a/x.py": "from pkg.b import y\n",
                "pkg/b/y.py": "from pkg.c import w\n",
                "pkg/c/w.py": "from ..a import x\n",
                "pkg/d.py": "import pkg.a.x\n",
            },
            [{"pkg.a", "pkg.b", "pkg.c"}],
            id="three-children",
        ),
        pytest.param(
            {
                "pkg/a/x.py": "from pkg.b import y\n",
                "pkg/b/y.py": "import pkg.a.x\n",
                "pkg/c/w.py": "import pkg.d\n",
                "pkg/d.py": "from pkg.c import w\n",
            },
            [{"pkg.a", "pkg.b"}, {"pkg.c", "pkg.d"}],
            id="two-cycles",
        ),
        pytest.param(
            {
                "pkg/a/x.py": "from pkg.b import y\n",
                "pkg/b/y.py": "from pkg.c import w\n",
                "pkg/c/w.py": "X = 1\n",
            },
            [],
            id="kept",
        ),
        pytest.param(
            # A cycle one level down is not a cycle among pkg's children (depth = 0).
            {
                "pkg/a/x.py": "from pkg.a import y\n",
                "pkg/a/y.py": "from pkg.a import x\n",
                "pkg/b/z.py": "import pkg.a.x\n",
            },
            [],
            id="kept-cycle-deeper-down",
        ),
    ],
)
def test_acyclic(
    repo: Path, charter: Charter, files: dict[str, str], cycles: list[set[str]]
) -> None:
    build(repo, files)
    write_importlinter(repo, "type = acyclic_siblings\nancestors = pkg\ndepth = 0")
    write_charter(repo, "kind: acyclic\npackages: [pkg]")
    linter, report = run_lint_imports(repo)
    ours, violations = run_charter(repo, charter)
    assert linter.kept is ours.kept is (not cycles)
    breakers = lint_imports_cycles(report)
    assert set(breakers) == ({"pkg"} if cycles else set())
    ours_cycles = [set(str(v["key"]).removeprefix("cycle:").split(",")) for v in violations]
    for violation, cycle in zip(violations, ours_cycles, strict=True):  # reported inside it
        assert ".".join(module_of(str(violation["path"])).split(".")[:2]) in cycle
    assert sorted(map(sorted, ours_cycles)) == sorted(map(sorted, cycles))
    for downstream, upstream in breakers.get("pkg", set()):
        assert any({downstream, upstream} <= cycle for cycle in ours_cycles), report
    for cycle in ours_cycles:
        assert any({d, u} <= cycle for d, u in breakers["pkg"]), report


# --- if TYPE_CHECKING: ----------------------------------------------------------------------

GUARDED = """\
    from __future__ import annotations

    import typing
    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from pkg.high import api
    if typing.TYPE_CHECKING:
        import pkg.high.api
    """
# Only the body of the ``if`` is exempt: an import under ``else:`` always runs.
WITH_ELSE = """\
    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from pkg.high import api
    else:
        from pkg.high.api import X
    """


@pytest.mark.parametrize("allow", [True, False], ids=["allowed", "not-allowed"])
@pytest.mark.parametrize(
    ("model", "always"),
    [
        pytest.param(GUARDED, set(), id="guarded"),
        pytest.param(WITH_ELSE, {("pkg.low.model", "pkg.high.api", 6)}, id="else-branch"),
    ],
)
@pytest.mark.parametrize("kind", ["layers", "forbid-import"])
def test_type_checking_imports(
    repo: Path, charter: Charter, kind: str, model: str, always: set[Link], allow: bool
) -> None:
    """Charter ``allow_type_checking: true`` is ``exclude_type_checking_imports = True``.

    import-linter's option is global (in ``[importlinter]``), Charter's per constraint.
    """
    build(
        repo,
        {
            "pkg/high/api.py": "X = 1\n",
            "pkg/low/model.py": model,
            # An indirect chain whose only way in is a guarded import.
            "pkg/low/other.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
            "    import pkg.shared\n",
            "pkg/shared.py": "from pkg.high import api\n",
        },
    )
    if kind == "layers":
        write_importlinter(
            repo, "type = layers\nlayers =\n    pkg.high\n    pkg.low", exclude_type_checking=allow
        )
        constraint = "kind: layers\nlayers: [pkg.high, pkg.low]"
    else:
        write_importlinter(
            repo,
            "type = forbidden\nsource_modules = pkg.low\nforbidden_modules = pkg.high",
            exclude_type_checking=allow,
        )
        constraint = "kind: forbid-import\nfrom: pkg.low\nto: pkg.high\ntransitive: true"
    write_charter(repo, f"{constraint}\nallow_type_checking: {str(allow).lower()}")
    linter, ours = both(repo, charter)
    guarded = {("pkg.low.model", "pkg.high.api", 4)}
    if model == GUARDED:
        guarded = {("pkg.low.model", "pkg.high.api", 7), ("pkg.low.model", "pkg.high.api", 9)}
    chain = (("pkg.low.other", "pkg.shared", 4), ("pkg.shared", "pkg.high.api", 1))
    direct = always if allow else always | guarded
    chains = set() if allow else {chain}
    assert linter == Verdict(not direct and not chains, frozenset(direct), frozenset(chains))
    assert_same(linter, ours)
