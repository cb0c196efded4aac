"""A generated repository of 11,105 modules with a realistic import graph (issue 15).

    python bench/large.py OUT_DIR     # writes the tree, the rules for both tools, git commit

``bigcorp`` has five layers (``interfaces`` > ``services`` > ``domain`` > ``infra`` >
``utils``), each of 20 packages of 10 subpackages of 10 modules (plus every
``__init__.py``). A module is ~60 lines: a docstring, 4-8 imports (relative imports of
siblings, absolute imports of lower layers, the standard library, one import inside a
function, some ``from x import (a, b)`` lists over several lines), a class and a few
functions. A fixed random seed makes the same tree every time; about one module in 400
imports a higher layer and one in 500 calls ``pickle.loads``, so both import contracts
are broken and the banned API is found, as in Django.

The rules are the benchmark's three, written for Charter (``docs/decisions/``,
``.charter.toml``) and for import-linter (``.importlinter``).
"""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
from pathlib import Path

SEED = 15
LAYERS = ("interfaces", "services", "domain", "infra", "utils")  # highest first
PACKAGES, SUBPACKAGES, MODULES = 20, 10, 10
STDLIB = ("os", "json", "re", "csv", "dataclasses", "functools", "itertools", "typing")

CHARTER_TOML = """\
decisions = "docs/decisions"
source_roots = ["src"]
cache_dir = ".charter_cache"
"""
IMPORTLINTER = """\
[importlinter]
root_package = bigcorp

[importlinter:contract:layers]
name = bigcorp is layered
type = layers
layers =
    bigcorp.interfaces
    bigcorp.services
    bigcorp.domain
    bigcorp.infra
    bigcorp.utils

[importlinter:contract:utils-no-infra]
name = bigcorp.utils does not import bigcorp.infra
type = forbidden
source_modules =
    bigcorp.utils
forbidden_modules =
    bigcorp.infra
"""
DECISIONS = {
    "0001-layers.md": """\
---
id: LARGE-0001
title: bigcorp is layered
status: accepted
date: 2026-12-02
constraints:
  - kind: layers
    layers: [bigcorp.interfaces, bigcorp.services, bigcorp.domain, bigcorp.infra, bigcorp.utils]
---
# LARGE-0001: bigcorp is layered
""",
    "0002-utils-no-infra.md": """\
---
id: LARGE-0002
title: bigcorp.utils does not import bigcorp.infra
status: accepted
date: 2026-12-02
constraints:
  - kind: forbid-import
    from: [bigcorp.utils]
    to: [bigcorp.infra]
    transitive: true
---
# LARGE-0002: bigcorp.utils does not import bigcorp.infra
""",
    "0003-no-pickle-loads.md": """\
---
id: LARGE-0003
title: No pickle.loads
status: accepted
date: 2026-12-02
constraints:
  - kind: banned-api
    names: [pickle.loads]
---
# LARGE-0003: No pickle.loads
""",
}
CONTRACTS = {
    "bigcorp is layered": "LARGE-0001",
    "bigcorp.utils does not import bigcorp.infra": "LARGE-0002",
}
BANNED_DECISION = "LARGE-0003"


def module_names() -> list[tuple[str, ...]]:
    """Every leaf module as (layer, package, subpackage, module) name parts."""
    return [
        (layer, f"p{p:02d}", f"s{s:02d}", f"m{m:02d}")
        for layer in LAYERS
        for p in range(PACKAGES)
        for s in range(SUBPACKAGES)
        for m in range(MODULES)
    ]


def _module_text(parts: tuple[str, ...], rng: random.Random) -> str:
    layer, name = parts[0], parts[-1]
    level = LAYERS.index(layer)
    lines = [f'"""{".".join(parts)}: generated for the benchmark."""', ""]
    lines += ["import logging", *(f"import {m}" for m in sorted(rng.sample(STDLIB, 2)))]
    lines.append("from collections import defaultdict")
    siblings = [f"m{m:02d}" for m in range(MODULES) if f"m{m:02d}" < name]
    if siblings:
        lines.append(f"from . import {rng.choice(siblings)}")
    if len(siblings) > 1:
        a, b = rng.sample(siblings, 2)
        lines.append(f"from .{a} import (\n    Model as _A,\n    helper,\n)")
        lines.append(f"from .{b} import Model as _B")
    lower = LAYERS[level + 1 :]
    for _ in range(rng.randint(1, 3) if lower else 0):
        target = (rng.choice(lower), f"p{rng.randrange(PACKAGES):02d}", f"s{rng.randrange(10):02d}")
        lines.append(f"from bigcorp.{'.'.join(target)} import m{rng.randrange(MODULES):02d}")
    if level > 0 and rng.random() < 1 / 400:  # a violation: a higher layer
        lines.append(f"from bigcorp.{LAYERS[level - 1]}.p00.s00 import m00  # layering bug")
    if layer == "utils" and rng.random() < 1 / 300:  # and the forbidden import
        lines.append("from bigcorp.infra.p00.s00 import m01  # forbidden")
    lines.append("")
    lines.append(
        textwrap.dedent(
            f'''
            LOG = logging.getLogger(__name__)


            class Model:
                """A record of {name}."""

                def __init__(self, key: str, value: int = 0) -> None:
                    self.key = key
                    self.value = value
                    self.children: dict[str, list[int]] = defaultdict(list)

                def total(self) -> int:
                    return self.value + sum(sum(v) for v in self.children.values())

                def describe(self) -> str:
                    parts = [f"{{k}}={{len(v)}}" for k, v in sorted(self.children.items())]
                    return f"{{self.key}}({{', '.join(parts)}})"


            def helper(values: list[int]) -> int:
                """Sum the even values, then scale."""
                total = 0
                for value in values:
                    if value % 2 == 0:
                        total += value
                return total * {rng.randint(2, 9)}


            def load(data: bytes) -> object:
                import json as _json

                return _json.loads(data)
            '''
        ).rstrip()
    )
    if rng.random() < 1 / 500:
        lines += ["", "", "def unsafe(data: bytes) -> object:", "    import pickle", ""]
        lines.append("    return pickle.loads(data)")
    return "\n".join(lines) + "\n"


def generate(root: Path) -> int:
    """Write the tree and the rules under ``root`` (which must not exist); the module count."""
    rng = random.Random(SEED)
    src = root / "src" / "bigcorp"
    count = 0
    packages: set[Path] = {src}
    for parts in module_names():
        folder = src.joinpath(*parts[:-1])
        for depth in range(1, 4):
            packages.add(src.joinpath(*parts[:depth]))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{parts[-1]}.py").write_text(_module_text(parts, rng), encoding="utf-8")
        count += 1
    for package in packages:
        (package / "__init__.py").write_text(f'"""{package.name}."""\n', encoding="utf-8")
        count += 1
    (root / ".charter.toml").write_text(CHARTER_TOML, encoding="utf-8")
    (root / ".importlinter").write_text(IMPORTLINTER, encoding="utf-8")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "bigcorp"\nversion = "1.0"\n', encoding="utf-8"
    )
    decisions = root / "docs" / "decisions"
    decisions.mkdir(parents=True)
    for name, text in DECISIONS.items():
        (decisions / name).write_text(text, encoding="utf-8")
    return count


if __name__ == "__main__":
    out = Path(sys.argv[1])
    print(f"{generate(out)} modules in {out}")
    subprocess.run(["git", "init", "-q"], cwd=out, check=True)
    subprocess.run(["git", "add", "-A"], cwd=out, check=True)
