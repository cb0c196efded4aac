"""Parity on import-linter's own test suite: its functional configurations and packages.

The sdist of the installed import-linter carries the packages and configurations its
functional tests run (``tests/assets``; ``tests/functional/test_lint_imports.py``
lists the cases). Each case is copied into a git repository, converted by
``charter import importlinter CONFIG`` (which runs ``lint-imports`` and Charter and
compares their verdicts contract by contract), and for a broken contract the direct
imports both blame are compared too. A contract a tool cannot check (a module that
does not exist, an unmatched ``ignore_imports`` entry) fails in both.

Count: 28 configurations; 25 compared, 25 agree; 3 not expressible, each a custom
contract type (``contract_types = forbidden_import: tests.helpers.contracts...``),
which runs Python code of its own: ``charter import`` names them and converts nothing.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from importlib import metadata
from pathlib import Path

import pytest
from support.parity import LINT_IMPORTS, Charter, module_of, offending
from support.sdists import copy_project, sdist

pytestmark = pytest.mark.skipif(LINT_IMPORTS is None, reason="import-linter is not installed")

TESTPACKAGE, ALERTING = "testpackage", "testpackage/unmatched_ignore_imports_alerting"
NAMESPACES = ("locationone", "locationtwo")
CUSTOM = "custom contract type 'forbidden_import'"

# (asset folder, configuration, what import-linter's own test expects: kept or not)
CASES = [
    (TESTPACKAGE, "setup.cfg", True),
    (TESTPACKAGE, ".brokencontract.ini", False),
    (TESTPACKAGE, ".malformedcontract.ini", False),
    (TESTPACKAGE, ".externalbrokencontract.ini", False),
    (TESTPACKAGE, ".setup.toml", True),
    (TESTPACKAGE, ".externalkeptcontract.ini", True),
    (TESTPACKAGE, ".externalkeptcontract.toml", True),
    (TESTPACKAGE, ".typecheckkeptcontract.ini", True),
    (TESTPACKAGE, ".typecheckbrokencontract.ini", False),
    (TESTPACKAGE, ".brokencontractguidance.ini", False),
    (TESTPACKAGE, ".singlefilemodulecontract.ini", False),
    (TESTPACKAGE, f"{ALERTING.partition('/')[2]}/unspecified.ini", False),
    (TESTPACKAGE, f"{ALERTING.partition('/')[2]}/error.ini", False),
    (TESTPACKAGE, f"{ALERTING.partition('/')[2]}/warn.ini", True),
    (TESTPACKAGE, f"{ALERTING.partition('/')[2]}/none.ini", True),
    ("multipleroots", ".multiplerootskeptcontract.ini", True),
    ("multipleroots", ".multiplerootsbrokencontract.ini", False),
    ("namespacepackages", "keptcontract_portion.ini", True),
    ("namespacepackages", "keptcontract_namespace.ini", True),
    ("namespacepackages", "brokencontract_portion.ini", False),
    ("namespacepackages", "brokencontract_namespace.ini", False),
    ("privatemodules", ".keptcontract.ini", True),
    ("privatemodules", ".brokencontract.ini", False),
    ("cycles", ".keptcontract.ini", True),
    ("cycles", ".brokencontract.ini", False),
]
NOT_EXPRESSIBLE = [
    (TESTPACKAGE, ".customkeptcontract.ini"),
    (TESTPACKAGE, ".customkeptcontract.toml"),
    (TESTPACKAGE, ".unicode.toml"),
]


@pytest.fixture(scope="module")
def assets() -> Path:
    version = metadata.version("import-linter")
    return sdist("import-linter", version) / "tests" / "assets"


def _options(folder: str) -> list[str]:
    """Namespace portions live under two source roots, in folders without __init__.py."""
    if folder != "namespacepackages":
        return []
    return [arg for root in NAMESPACES for arg in ("--source-root", root)]


def _import(charter: Charter, repo: Path, folder: str, config: str) -> tuple[int, str, str]:
    if folder == "namespacepackages":
        (repo / ".charter.toml").write_text("namespace_packages = true\n", encoding="utf-8")
    return charter("import", "importlinter", config, "--root", repo, *_options(folder))


@pytest.mark.parametrize(("folder", "config", "kept"), CASES, ids=[f"{f}/{c}" for f, c, _ in CASES])
def test_same_verdict_as_lint_imports(
    assets: Path, tmp_path: Path, charter: Charter, folder: str, config: str, kept: bool
) -> None:
    repo = copy_project(assets / folder, tmp_path / folder)
    os.chdir(repo)  # a relative CONFIG is read from the working directory
    code, out, err = _import(charter, repo, folder, config)
    if config == ".singlefilemodulecontract.ini":  # both refuse the configuration
        assert code == 2 and "is a module, not a package" in err
        return
    assert code == 0, out + err
    rows = re.findall(r"^(.+?)  +(kept|broken|error) +(kept|broken|error)$", out, re.MULTILINE)
    assert rows and re.search(rf"^{len(rows)} of {len(rows)} verdicts agree$", out, re.MULTILINE)
    assert all((theirs == "kept") is kept for _, theirs, _ in rows), out
    if not kept and all(theirs == "broken" for _, theirs, _ in rows):
        _same_direct_imports(charter, repo, folder, config)


def _same_direct_imports(charter: Charter, repo: Path, folder: str, config: str) -> None:
    """The direct imports ``lint-imports`` blames are the ones Charter reports."""
    assert LINT_IMPORTS is not None
    roots = [str(repo / r) for r in NAMESPACES] if folder == "namespacepackages" else [str(repo)]
    report = subprocess.run(
        [LINT_IMPORTS, "--config", config, "--no-cache", "--no-logo"],
        cwd=repo,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(roots)},
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    theirs, _ = offending(report)
    _, out, _ = charter("check", "--all", "--format", "json", "--root", repo, *_options(folder))
    ours = {
        (_module(v["path"], folder), v["key"], v["line"])
        for v in json.loads(out)["violations"]
        if not v["chain"] and v["severity"] == "error" and not v["key"].startswith("cycle:")
    }
    assert ours == theirs, report


def _module(path: str, folder: str) -> str:
    for root in NAMESPACES if folder == "namespacepackages" else ():
        path = path.removeprefix(f"{root}/")
    return module_of(path)


@pytest.mark.parametrize(("folder", "config"), NOT_EXPRESSIBLE, ids=[c for _, c in NOT_EXPRESSIBLE])
def test_custom_contract_types_are_named_not_dropped(
    assets: Path, tmp_path: Path, charter: Charter, folder: str, config: str
) -> None:
    repo = copy_project(assets / folder, tmp_path / folder)
    os.chdir(repo)
    code, out, err = _import(charter, repo, folder, config)
    assert code == 0, err
    assert re.search(rf"not converted: .*{re.escape(CUSTOM)} runs code of its own", out), out
    assert "0 of 1 contracts" in out
    record = next((repo / "docs/decisions").glob("*-imports-from-import-linter.md")).read_text()
    assert "## Not converted" in record and CUSTOM in record


def test_every_functional_configuration_is_a_case(assets: Path) -> None:
    """A configuration a later import-linter adds is compared, or said not expressible."""
    shipped = {
        (
            path.relative_to(assets).parts[0],
            path.relative_to(assets / path.relative_to(assets).parts[0]).as_posix(),
        )
        for path in assets.rglob("*")
        if path.is_file() and (path.suffix in (".ini", ".toml") or path.name == "setup.cfg")
    }
    cases = {(folder, config) for folder, config, _ in CASES} | set(NOT_EXPRESSIBLE)
    assert shipped == cases
    assert (len(CASES), len(NOT_EXPRESSIBLE)) == (25, 3)
