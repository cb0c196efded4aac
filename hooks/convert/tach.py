"""Read a tach configuration (``tach.toml``) and say its rules as Charter constraints.

Tach declares modules (``[[modules]]`` with a dotted ``path``) and checks each import
from one module into another, directly (not through chains):

- ``depends_on``: the only declared modules it may import (besides ``utility``
  modules, modules of a lower layer, and its own); absent means anything -> one
  ``forbid-import`` from the module to every other declared module it does not list;
- ``cannot_depend_on`` -> a ``forbid-import`` to those;
- ``layers`` (top level, highest first) with each module's ``layer`` -> one ``layers``
  constraint whose layers hold the modules of each (siblings that may import each other).

``unchecked`` modules are not checked. ``interfaces`` (which names a module exposes),
``visibility`` (which modules may declare a dependency: a check of the configuration,
not of imports) and ``forbid_circular_dependencies`` between declared modules are named
as not expressible. Tach gives one verdict for the whole configuration, so the comparison is
one row.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from charter.hooks import tomlfile
from charter.hooks.convert.compare import BROKEN, ERROR, KEPT, Compared, Comparison, run_charter
from charter.hooks.convert.records import Conversion, Converted
from charter.hooks.errors import CharterError
from charter.hooks.kinds import forbid_import
from charter.hooks.kinds import layers as layers_kind
from charter.hooks.settings import Settings

CONFIG = "tach.toml"
ROOT = "<root>"


def find_config(root: Path) -> Path:
    path = root / CONFIG
    if not path.is_file():
        raise CharterError(f"no {CONFIG} in the repository root: name the file")
    return path


def _path(entry: Any) -> str:
    return str(entry["path"] if isinstance(entry, Mapping) else entry)


def convert(path: Path, root: Path) -> Conversion:
    data = tomlfile.read(path)
    modules = [m for m in data.get("modules", []) if isinstance(m, Mapping) and "path" in m]
    declared = [str(m["path"]) for m in modules if m["path"] != ROOT]
    utility = {str(m["path"]) for m in modules if m.get("utility")}
    order = [str(layer) for layer in data.get("layers", [])]
    rank = {str(m["path"]): order.index(m["layer"]) for m in modules if m.get("layer") in order}
    contracts: list[Converted] = []
    for module in modules:
        name = str(module["path"])
        if name == ROOT or module.get("unchecked"):
            continue
        # A module may import any module of a lower layer without listing it.
        below = {m for m, r in rank.items() if name in rank and r > rank[name]}
        contracts.extend(_module_rules(module, name, declared, utility | below))
    contracts.extend(_layers(data, modules))
    for interface in data.get("interfaces", []):
        where = ", ".join(interface.get("from", [])) if isinstance(interface, Mapping) else ""
        contracts.append(
            Converted(
                f"interface-{where}",
                f"interface of {where}",
                "interfaces",
                None,
                "an interface limits which names of a module others may use; Charter's "
                "banned-api can forbid names, not allow only some",
            )
        )
    if data.get("forbid_circular_dependencies"):
        contracts.append(
            Converted(
                "circular",
                "forbid_circular_dependencies",
                "forbid_circular_dependencies",
                None,
                "cycles between arbitrary declared modules (Charter's acyclic checks the "
                "children of a package)",
            )
        )
    notes = [f"tach source roots: {', '.join(map(str, data.get('source_roots', ['.'])))}"]
    nested = sorted(
        f"{inner} (inside {outer})"
        for inner in declared
        for outer in declared
        if inner.startswith(outer + ".")
    )
    if nested:
        # Tach gives a nested module's files to the nested module only; a Charter rule
        # from the outer module covers them too, so it may be stricter.
        notes.append(
            "nested modules, whose files the outer module's rules also cover here: "
            + ", ".join(nested)
        )
    return Conversion("tach", _relative(path, root), tuple(contracts), tuple(notes))


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def _module_rules(
    module: Mapping[str, Any], name: str, declared: Sequence[str], utility: set[str]
) -> list[Converted]:
    found = []
    depends = module.get("depends_on")
    if depends is not None:
        allowed = {_path(entry) for entry in depends} | utility | {name}
        others = [m for m in declared if m not in allowed]
        if others:
            may = ", ".join(sorted(allowed - {name})) or "no declared module"
            fields = {
                "kind": forbid_import.KIND.name,
                "from": [name],
                "to": others,
                "message": f"tach: {name} may import only {may}",
            }
            found.append(
                Converted(f"{name}-depends-on", f"{name} depends_on", "depends_on", fields)
            )
    cannot = [_path(entry) for entry in module.get("cannot_depend_on") or ()]
    if cannot:
        fields = {
            "kind": forbid_import.KIND.name,
            "from": [name],
            "to": cannot,
            "message": f"tach: {name} cannot depend on {', '.join(cannot)}",
        }
        found.append(
            Converted(
                f"{name}-cannot-depend-on", f"{name} cannot_depend_on", "cannot_depend_on", fields
            )
        )
    if module.get("visibility") is not None:
        found.append(
            Converted(
                f"{name}-visibility",
                f"{name} visibility",
                "visibility",
                None,
                "visibility limits which modules may declare a dependency on it (a check of "
                "tach.toml itself); the imports it allows are already limited by depends_on",
            )
        )
    return found


def _layers(data: Mapping[str, Any], modules: Sequence[Mapping[str, Any]]) -> list[Converted]:
    names = [str(layer) for layer in data.get("layers", [])]
    members = {
        layer: [str(m["path"]) for m in modules if m.get("layer") == layer and m["path"] != ROOT]
        for layer in names
    }
    levels = [" : ".join(members[layer]) for layer in names if members[layer]]
    if len(levels) < 2:
        return []
    fields = {
        "kind": layers_kind.KIND.name,
        "layers": levels,
        "transitive": False,
        "message": f"tach: the layers {' > '.join(names)}",
    }
    return [Converted("layers", "layers", "layers", fields)]


def tach_command() -> str | None:
    beside = Path(sys.executable).parent / "tach"
    return shutil.which("tach") or (str(beside) if beside.exists() else None)


def compare(
    conversion: Conversion, settings: Settings, decision_id: str, command: str
) -> Comparison:
    """Tach's one verdict against Charter's on all the converted rules together."""
    try:
        result = subprocess.run(
            [command, "check"],
            cwd=settings.root,
            env={**os.environ, "NO_COLOR": "1"},
            capture_output=True,
            text=True,
            timeout=600,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CharterError(f"could not run tach: {exc}") from None
    theirs = {0: KEPT, 1: BROKEN}.get(result.returncode, ERROR)
    ours, findings = run_charter(settings, conversion.constraint_ids(decision_id))
    values = set(ours.values())
    verdict = ERROR if ERROR in values else BROKEN if BROKEN in values else KEPT
    row = Compared("tach", "tach check", theirs, verdict)
    return Comparison((row,), result.stdout + result.stderr, tuple(findings))
