"""Parity with import-linter: acyclic_siblings and TYPE_CHECKING imports.

See ``support/parity.py`` for how both tools are run and compared.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.parity import (
    LINT_IMPORTS,
    Charter,
    Link,
    Verdict,
    assert_same,
    both,
    build,
    has_acyclic_siblings,
    lint_imports_cycles,
    module_of,
    run_charter,
    run_lint_imports,
    write_charter,
    write_importlinter,
)

pytestmark = pytest.mark.skipif(LINT_IMPORTS is None, reason="import-linter is not installed")


# --- acyclic --------------------------------------------------------------------------------

# import-linter 2.x has ``acyclic_siblings``: with ``depth = 0`` it looks for cycles among
# the children of the ancestor only, as Charter's ``acyclic`` does for ``packages``. It
# reports no line numbers but the child-to-child dependencies that would break the cycles;
# Charter reports each cycle (a strongly connected set of children) once, at one import.
# What must agree: the verdict, and that every dependency import-linter would remove lies
# within one of Charter's cycles, and every Charter cycle contains one of them.


@pytest.mark.skipif(not has_acyclic_siblings(), reason="import-linter lacks acyclic_siblings")
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
