"""Parity with import-linter on the options and contract types issue 14 added.

Each case writes one contract for both tools (``.importlinter`` and a decision), runs
both, and asserts the same verdict and the same offending direct imports and chains
(see ``support/parity.py``); where import-linter stops with an error (a module that
does not exist), Charter must stop too (exit 2), naming the module.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.parity import (
    LINT_IMPORTS,
    Charter,
    Link,
    build,
    lint_imports_error,
    run_charter,
    run_lint_imports,
    same_verdict,
    write_charter,
    write_importlinter,
)
from support.repo import write_file

pytestmark = pytest.mark.skipif(LINT_IMPORTS is None, reason="import-linter is not installed")


# --- forbidden: overlapping modules, every source, as_packages --------------------------------


def test_overlapping_from_and_to_are_checked_pair_by_pair(repo: Path, charter: Charter) -> None:
    """``from: [a, b]``, ``to: [b, c]``: a -> b is forbidden (only a source and a target
    that are one module, or nest, are skipped)."""
    build(
        repo,
        {
            "pkg/a/x.py": "from pkg.b import y\n",
            "pkg/b/y.py": "from pkg.b import z\n",  # b -> b: the same module, skipped
            "pkg/b/z.py": "X = 1\n",
            "pkg/c/w.py": "X = 1\n",
        },
    )
    write_importlinter(
        repo,
        "type = forbidden\nsource_modules =\n    pkg.a\n    pkg.b\nforbidden_modules =\n"
        "    pkg.b\n    pkg.c",
    )
    write_charter(
        repo, "kind: forbid-import\nfrom: [pkg.a, pkg.b]\nto: [pkg.b, pkg.c]\ntransitive: true"
    )
    same_verdict(repo, charter, {("pkg.a.x", "pkg.b.y", 1)})


def test_symmetric_from_and_to_can_fail(repo: Path, charter: Charter) -> None:
    """``from: [torch, jax]``, ``to: [jax, torch]``, as a real configuration has it."""
    build(repo, {"pkg/torch/t.py": "X = 1\n", "pkg/jax/j.py": "from pkg.torch import t\n"})
    write_importlinter(
        repo,
        "type = forbidden\nsource_modules =\n    pkg.torch\n    pkg.jax\n"
        "forbidden_modules =\n    pkg.jax\n    pkg.torch",
    )
    write_charter(
        repo,
        "kind: forbid-import\nfrom: [pkg.torch, pkg.jax]\nto: [pkg.jax, pkg.torch]\n"
        "transitive: true",
    )
    same_verdict(repo, charter, {("pkg.jax.j", "pkg.torch.t", 1)})


def test_every_source_that_reaches_a_forbidden_module(repo: Path, charter: Charter) -> None:
    """A chain from one source may run through another source: both are reported."""
    build(
        repo,
        {
            "pkg/a/x.py": "from pkg.b import y\n",
            "pkg/b/y.py": '"""Y."""\nfrom pkg.c import z\n',
            "pkg/c/z.py": "X = 1\n",
        },
    )
    write_importlinter(
        repo, "type = forbidden\nsource_modules =\n    pkg.a\n    pkg.b\nforbidden_modules = pkg.c"
    )
    write_charter(repo, "kind: forbid-import\nfrom: [pkg.a, pkg.b]\nto: pkg.c\ntransitive: true")
    chain = (("pkg.a.x", "pkg.b.y", 1), ("pkg.b.y", "pkg.c.z", 2))
    same_verdict(repo, charter, {("pkg.b.y", "pkg.c.z", 2)}, {chain})


@pytest.mark.parametrize(
    ("source", "direct"),
    [
        pytest.param("from pkg.b import sub\n", set(), id="submodule-of-target"),
        pytest.param("import pkg.b\n", {("pkg.a", "pkg.b", 1)}, id="target-itself"),
    ],
)
def test_as_packages_false(repo: Path, charter: Charter, source: str, direct: set[Link]) -> None:
    build(repo, {"pkg/b/sub.py": "X = 1\n", "pkg/a/inner.py": "import pkg.b\n"})
    write_file(repo, "pkg/a/__init__.py", source)  # pkg.a.inner is no source: not reported
    write_importlinter(
        repo,
        "type = forbidden\nsource_modules = pkg.a\nforbidden_modules = pkg.b\nas_packages = False",
    )
    write_charter(
        repo, "kind: forbid-import\nfrom: pkg.a\nto: pkg.b\ntransitive: true\nas_packages: false"
    )
    same_verdict(repo, charter, direct)


# --- modules that do not exist -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("il_contract", "constraint"),
    [
        pytest.param(
            "type = forbidden\nsource_modules = pkg.a\nforbidden_modules = pkg.nope",
            "kind: forbid-import\nfrom: pkg.a\nto: pkg.nope\ntransitive: true",
            id="forbidden-to",
        ),
        pytest.param(
            "type = layers\nlayers =\n    pkg.a\n    pkg.nope",
            "kind: layers\nlayers: [pkg.a, pkg.nope]",
            id="layer",
        ),
        pytest.param(
            "type = independence\nmodules =\n    pkg.a\n    pkg.nope",
            "kind: independent\nmodules: [pkg.a, pkg.nope]",
            id="independence",
        ),
    ],
)
def test_a_missing_module_stops_both(
    repo: Path, charter: Charter, il_contract: str, constraint: str
) -> None:
    build(repo, {"pkg/a/x.py": "X = 1\n"})
    write_importlinter(repo, il_contract)
    write_charter(repo, constraint)
    assert "pkg.nope" in lint_imports_error(repo)
    code, _, err = charter("check", "--all", "--root", repo)
    assert code == 2 and "'pkg.nope'" in err and "0001-parity.md" in err


def test_an_optional_layer_may_be_missing(repo: Path, charter: Charter) -> None:
    build(repo, {"pkg/high/x.py": "X = 1\n", "pkg/low/y.py": "from pkg.high import x\n"})
    write_importlinter(repo, "type = layers\nlayers =\n    pkg.high\n    (pkg.mid)\n    pkg.low")
    write_charter(repo, "kind: layers\nlayers: [pkg.high, pkg.mid, pkg.low]\noptional: [pkg.mid]")
    same_verdict(repo, charter, {("pkg.low.y", "pkg.high.x", 1)})


# --- how files are read ------------------------------------------------------------------------


def test_a_pep_263_source_is_decoded_as_python_does(repo: Path, charter: Charter) -> None:
    build(repo, {"pkg/b/y.py": "X = 1\n", "pkg/a/__init__.py": ""})
    source = "# -*- coding: latin-1 -*-\nNAME = 'caf\xe9'\nfrom pkg.b import y\n"
    (repo / "pkg/a/x.py").write_bytes(source.encode("latin-1"))
    write_importlinter(repo, "type = forbidden\nsource_modules = pkg.a\nforbidden_modules = pkg.b")
    write_charter(repo, "kind: forbid-import\nfrom: pkg.a\nto: pkg.b\ntransitive: true")
    same_verdict(repo, charter, {("pkg.a.x", "pkg.b.y", 3)})


def test_a_folder_without_init_is_not_a_package(repo: Path, charter: Charter) -> None:
    """grimp does not index ``pkg/a/loose/x.py`` (no ``__init__.py`` in ``loose``)."""
    build(repo, {"pkg/b/y.py": "X = 1\n", "pkg/a/ok.py": "X = 1\n"})
    write_file(repo, "pkg/a/loose/x.py", "from pkg.b import y\n")
    write_importlinter(repo, "type = forbidden\nsource_modules = pkg.a\nforbidden_modules = pkg.b")
    write_charter(repo, "kind: forbid-import\nfrom: pkg.a\nto: pkg.b\ntransitive: true")
    same_verdict(repo, charter, set())
    # With namespace_packages, Charter indexes it (and import-linter cannot say).
    write_file(repo, ".charter.toml", "namespace_packages = true\n")
    ours, _ = run_charter(repo, charter)
    assert ours.direct == {("pkg.a.loose.x", "pkg.b.y", 1)}


# --- ignore_imports ----------------------------------------------------------------------------

IGNORED = {
    "pkg/high/api.py": "X = 1\n",
    "pkg/low/a.py": "from pkg.high import api\n",
    "pkg/low/deep/b.py": "from pkg.high import api\n",
    "pkg/low/c.py": '"""C."""\nfrom pkg.high import api\n',
}


@pytest.mark.parametrize(
    ("entries", "direct"),
    [
        pytest.param(
            ["pkg.low.a -> pkg.high.api"],
            {("pkg.low.deep.b", "pkg.high.api", 1), ("pkg.low.c", "pkg.high.api", 2)},
            id="one",
        ),
        pytest.param(
            ["pkg.low.* -> pkg.high.api"], {("pkg.low.deep.b", "pkg.high.api", 1)}, id="star"
        ),
        pytest.param(["pkg.low.** -> pkg.high.*"], set(), id="double-star"),
    ],
)
def test_ignore_imports_with_wildcards(
    repo: Path, charter: Charter, entries: list[str], direct: set[Link]
) -> None:
    build(repo, IGNORED)
    listed = "".join(f"\n    {entry}" for entry in entries)
    write_importlinter(
        repo, f"type = layers\nlayers =\n    pkg.high\n    pkg.low\nignore_imports ={listed}"
    )
    write_charter(repo, f"kind: layers\nlayers: [pkg.high, pkg.low]\nignore_imports: {entries!r}")
    same_verdict(repo, charter, direct)


@pytest.mark.parametrize(
    ("il_alerting", "charter_alerting"),
    [("error", "error"), ("warn", "warning"), ("none", "off")],
)
def test_an_unmatched_ignore_imports_entry(
    repo: Path, charter: Charter, il_alerting: str, charter_alerting: str
) -> None:
    build(repo, {"pkg/high/api.py": "X = 1\n", "pkg/low/a.py": "import json\n"})
    stale = "pkg.low.gone -> pkg.high.api"
    write_importlinter(
        repo,
        f"type = layers\nlayers =\n    pkg.high\n    pkg.low\nignore_imports = {stale}\n"
        f"unmatched_ignore_imports_alerting = {il_alerting}",
    )
    write_charter(
        repo,
        f"kind: layers\nlayers: [pkg.high, pkg.low]\nignore_imports: ['{stale}']\n"
        f"unmatched_ignore_imports: {charter_alerting}",
    )
    ours, reported = run_charter(repo, charter)
    if il_alerting == "error":  # import-linter stops; Charter breaks the rule, at the entry
        assert stale in lint_imports_error(repo)
        assert not ours.kept
        assert [(v["path"], v["line"]) for v in reported] == [("docs/decisions/0001-parity.md", 8)]
    else:
        linter, _ = run_lint_imports(repo)
        assert linter.kept and ours.kept


# --- layers: exhaustive, ':' siblings, wildcard containers -------------------------------------


@pytest.mark.parametrize(
    ("ignores", "kept"),
    [pytest.param("", False, id="undeclared"), pytest.param("misc", True, id="ignored")],
)
def test_exhaustive_layers(repo: Path, charter: Charter, ignores: str, kept: bool) -> None:
    build(
        repo,
        {"pkg/api/x.py": "from pkg.core import y\n", "pkg/core/y.py": "X = 1\n", "pkg/misc.py": ""},
    )
    il_ignores = f"\nexhaustive_ignores = {ignores}" if ignores else ""
    write_importlinter(
        repo,
        "type = layers\ncontainers = pkg\nlayers =\n    api\n    core\n"
        f"exhaustive = True{il_ignores}",
    )
    ours_ignores = f"\nexhaustive_ignores: [{ignores}]" if ignores else ""
    write_charter(
        repo,
        f"kind: layers\ncontainers: [pkg]\nlayers: [api, core]\nexhaustive: true{ours_ignores}",
    )
    linter, _ = run_lint_imports(repo)
    ours, reported = run_charter(repo, charter)
    assert linter.kept is ours.kept is kept
    assert [v["key"] for v in reported] == ([] if kept else ["undeclared:pkg.misc"])


@pytest.mark.parametrize(("joint", "independent"), [(" : ", False), (" | ", True)])
def test_siblings_that_may_or_may_not_import_each_other(
    repo: Path, charter: Charter, joint: str, independent: bool
) -> None:
    build(
        repo,
        {
            "pkg/top/t.py": "X = 1\n",
            "pkg/left/a.py": "from pkg.right import b\n",
            "pkg/right/b.py": "X = 1\n",
        },
    )
    write_importlinter(repo, f"type = layers\nlayers =\n    pkg.top\n    pkg.left{joint}pkg.right")
    write_charter(repo, f"kind: layers\nlayers: [pkg.top, 'pkg.left{joint}pkg.right']")
    same_verdict(repo, charter, {("pkg.left.a", "pkg.right.b", 1)} if independent else set())


def test_wildcard_containers(repo: Path, charter: Charter) -> None:
    build(
        repo,
        {
            "pkg/one/api/v.py": "X = 1\n",
            "pkg/one/domain/m.py": "from pkg.one.api import v\n",
            "pkg/two/api/v.py": "from pkg.two.domain import m\n",
            "pkg/two/domain/m.py": "X = 1\n",
        },
    )
    write_importlinter(repo, "type = layers\ncontainers = pkg.*\nlayers =\n    api\n    domain")
    write_charter(repo, "kind: layers\ncontainers: ['pkg.*']\nlayers: [api, domain]")
    same_verdict(repo, charter, {("pkg.one.domain.m", "pkg.one.api.v", 1)})


# --- protected and private_modules -------------------------------------------------------------

PROTECTED = {
    "pkg/db/session.py": "X = 1\n",
    "pkg/db/models.py": "from pkg.db import session\n",  # inside: allowed
    "pkg/repo/store.py": "from pkg.db import session\n",  # the allowed importer
    "pkg/api/views.py": "from pkg.db.session import X\nfrom pkg.repo import store\n",
    "pkg/api/direct.py": '"""D."""\nimport pkg.db\n',
}


@pytest.mark.parametrize("as_packages", [True, False])
def test_protected(repo: Path, charter: Charter, as_packages: bool) -> None:
    build(repo, PROTECTED)
    flag = "" if as_packages else "\nas_packages = False"
    write_importlinter(
        repo, f"type = protected\nprotected_modules = pkg.db\nallowed_importers = pkg.repo{flag}"
    )
    ours_flag = "" if as_packages else "\nas_packages: false"
    write_charter(
        repo,
        f"kind: protected-modules\nmodules: [pkg.db]\nallowed_importers: [pkg.repo]{ours_flag}",
    )
    direct = {("pkg.api.direct", "pkg.db", 2)}
    if as_packages:
        direct.add(("pkg.api.views", "pkg.db.session", 1))
    same_verdict(repo, charter, direct)


def test_private_modules(repo: Path, charter: Charter) -> None:
    build(
        repo,
        {
            "pkg/foo/_secret.py": "X = 1\n",
            "pkg/foo/public.py": "from pkg.foo import _secret\n",  # within foo: allowed
            "pkg/foo/_inner/deep.py": "X = 1\n",  # inside a private package
            "pkg/bar/uses.py": "from pkg.foo import _secret\nfrom pkg.foo._inner import deep\n",
            "pkg/__main__.py": "from pkg.foo import public\n",  # dunder: not private
            "pkg/baz.py": "import pkg.__main__\n",
        },
    )
    write_importlinter(repo, "type = private_modules")
    write_charter(repo, "kind: private-modules\npackages: [pkg]")
    same_verdict(
        repo,
        charter,
        {("pkg.bar.uses", "pkg.foo._secret", 1), ("pkg.bar.uses", "pkg.foo._inner.deep", 2)},
    )


def test_each_container_a_wildcard_names_holds_every_layer(repo: Path, charter: Charter) -> None:
    build(repo, {"pkg/one/api/v.py": "X = 1\n", "pkg/one/domain/m.py": "", "pkg/two/api/v.py": ""})
    write_importlinter(repo, "type = layers\ncontainers = pkg.*\nlayers =\n    api\n    domain")
    write_charter(repo, "kind: layers\ncontainers: ['pkg.*']\nlayers: [api, domain]")
    assert "pkg.two.domain" in lint_imports_error(repo)
    # Charter breaks the rule where the container is (validate cannot expand a wildcard).
    code, out, _ = charter("check", "--all", "--root", repo)
    assert code == 1 and "pkg/two/__init__.py:1:1" in out and "pkg.two has no layer domain" in out
