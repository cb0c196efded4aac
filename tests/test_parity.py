"""Parity with import-linter: layers, forbidden and independence contracts.

Each test writes one contract for both tools and compares their verdicts and offending
imports (see ``support/parity.py``). Where the tools differ only in how they report,
the tests assert what must agree and a comment says what differs.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from support.parity import (
    LINT_IMPORTS,
    Chain,
    Charter,
    Link,
    Verdict,
    assert_same,
    both,
    build,
    same_verdict,
    write_charter,
    write_importlinter,
)
from support.repo import write_file

pytestmark = pytest.mark.skipif(LINT_IMPORTS is None, reason="import-linter is not installed")


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
    same_verdict(
        repo,
        charter,
        direct={("pkg.mid.svc", "pkg.high.api", 1), ("pkg.low.util", "pkg.mid.svc", 2)},
        chains={(("pkg.low.helper", "pkg.shared", 3), ("pkg.shared", "pkg.high.api", 1))},
    )


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
    same_verdict(repo, charter, direct=set())


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
    same_verdict(repo, charter, direct, chains)


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
    same_verdict(repo, charter, direct={("pkg.two.domain.model", "pkg.two.api.views", 2)})


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
    same_verdict(
        repo,
        charter,
        direct={
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
        },
    )


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
    same_verdict(
        repo,
        charter,
        direct={("pkg.parts.x.m", "pkg.parts.y.n", 1), ("pkg.parts.y.n", "pkg.parts.z.k", 2)},
        chains={(("pkg.parts.z.p", "pkg.glue", 3), ("pkg.glue", "pkg.parts.x.m", 1))},
    )


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
    same_verdict(repo, charter, direct=set())
