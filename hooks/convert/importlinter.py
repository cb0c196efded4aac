"""Read an import-linter configuration and say each contract as a Charter constraint.

The configuration is found as import-linter finds it (``setup.cfg`` or
``.importlinter`` with an ``[importlinter]`` section, else ``pyproject.toml``
``[tool.importlinter]``), or named. Every built-in contract type has a Charter kind:

=================  ==================  =================================================
import-linter      Charter             options
=================  ==================  =================================================
forbidden          forbid-import       allow_indirect_imports -> transitive: false;
                                       as_packages
layers             layers              containers (wildcards), ``|`` and ``:`` siblings,
                                       ``(optional)`` layers -> optional, exhaustive,
                                       exhaustive_ignores
independence       independent
acyclic_siblings   acyclic             ancestors -> packages, depth, skip_descendants
protected          protected-modules   protected_modules -> modules, allowed_importers,
                                       as_packages
private_modules    private-modules     packages_with_private_modules -> packages
=================  ==================  =================================================

All take ``ignore_imports`` and ``unmatched_ignore_imports_alerting`` (-> ``off``,
``warning``, ``error``); ``broken_contract_guidance`` becomes the remedy and the
contract's name the message. The session's ``exclude_type_checking_imports`` becomes
each constraint's ``allow_type_checking``. A custom contract type (``contract_types``)
runs code Charter does not have: it is listed as not expressible.
"""

from __future__ import annotations

import configparser
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from charter.hooks import tomlfile
from charter.hooks.convert.records import Conversion, Converted, boolean, lines
from charter.hooks.errors import CharterError
from charter.hooks.kinds import (
    acyclic,
    forbid_import,
    independent,
    private_modules,
    protected_modules,
)
from charter.hooks.kinds import layers as layers_kind

CANDIDATES = ("setup.cfg", ".importlinter", "pyproject.toml")
_ALERTING = {"none": "off", "warn": "warning", "error": "error"}


def find_config(root: Path) -> Path:
    """The configuration import-linter would read in ``root``."""
    for name in CANDIDATES:
        path = root / name
        if path.is_file() and _read(path) is not None:
            return path
    raise CharterError(
        f"no import-linter configuration in {', '.join(CANDIDATES)}: name one "
        "(charter import importlinter CONFIG)"
    )


def _read(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """(session options, contracts' options), or None when the file has no section."""
    if path.suffix == ".toml":
        table = tomlfile.read(path).get("tool", {}).get("importlinter")
        if not isinstance(table, dict) or not table:
            return None
        session = {k: v for k, v in table.items() if k != "contracts"}
        contracts = table.get("contracts", [])
        if not isinstance(contracts, list) or not all(isinstance(c, dict) for c in contracts):
            raise CharterError(f"{path.name}: [tool.importlinter] contracts must be a table array")
        return session, [dict(c) for c in contracts]
    parser = configparser.ConfigParser()
    try:
        parser.read_string(path.read_text(encoding="utf-8"), source=path.name)
    except (configparser.Error, UnicodeDecodeError, OSError) as exc:
        raise CharterError(f"{path.name}: cannot read it as an INI file: {exc}") from None
    if "importlinter" not in parser.sections():
        return None
    contracts = [
        {"id": section.split(":")[-1], **dict(parser[section])}
        for section in parser.sections()
        if section.startswith("importlinter:")
    ]
    return dict(parser["importlinter"]), contracts


def convert(path: Path, root: Path) -> Conversion:
    """Every contract of the configuration at ``path``, as Charter constraints."""
    read = _read(path)
    if read is None:
        raise CharterError(f"{path.name}: no [importlinter] or [tool.importlinter] section")
    session, contracts = read
    custom = {entry.partition(":")[0].strip() for entry in lines(session.get("contract_types"))}
    allow_tc = boolean(session.get("exclude_type_checking_imports"), False)
    roots = lines(session.get("root_packages")) or lines(session.get("root_package"))
    for name in roots:
        _require_package(name, root)
    converted = tuple(_contract(options, allow_tc, roots, custom) for options in contracts)
    notes = []
    if roots:
        notes.append(f"root packages: {', '.join(roots)}")
    return Conversion("import-linter", _relative(path, root), converted, tuple(notes))


def _require_package(name: str, root: Path) -> None:
    """import-linter stops on a root package that is a single-file module; so do we."""
    for base in (root, root / "src"):
        stem = base / name.replace(".", "/")
        if stem.with_suffix(".py").is_file() and not stem.is_dir():
            raise CharterError(
                f"root package {name!r} is a module, not a package ({stem.name}.py): "
                "import-linter cannot check it; name its package instead"
            )


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def _contract(
    options: Mapping[str, Any], allow_tc: bool, roots: tuple[str, ...], custom: set[str]
) -> Converted:
    kind = str(options.get("type", ""))
    name = str(options.get("name", options.get("id", kind)))
    key = str(options.get("id") or name)
    build = _BUILDERS.get(kind)
    if build is None or kind in custom:
        why = (
            f"custom contract type {kind!r} runs code of its own"
            if kind in custom
            else f"unknown contract type {kind!r}"
        )
        return Converted(key, name, kind, None, why)
    fields = build(options, allow_tc, roots)
    common = _common(options, name)
    return Converted(key, name, kind, {**fields, **common})


def _common(options: Mapping[str, Any], name: str) -> dict[str, Any]:
    fields: dict[str, Any] = {"message": name}
    guidance = options.get("broken_contract_guidance")
    if guidance:
        fields["remedy"] = " ".join(lines(guidance))
    ignored = lines(options.get("ignore_imports"))
    if ignored:
        fields["ignore_imports"] = [" -> ".join(p.strip() for p in i.split("->")) for i in ignored]
    alerting = options.get("unmatched_ignore_imports_alerting")
    if alerting is not None and _ALERTING.get(str(alerting).lower(), "error") != "error":
        fields["unmatched_ignore_imports"] = _ALERTING[str(alerting).lower()]
    return fields


def _forbidden(
    options: Mapping[str, Any], allow_tc: bool, roots: tuple[str, ...]
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": forbid_import.KIND.name,
        "from": list(lines(options.get("source_modules"))),
        "to": list(lines(options.get("forbidden_modules"))),
        "transitive": not boolean(options.get("allow_indirect_imports"), False),
    }
    if not boolean(options.get("as_packages"), True):
        fields["as_packages"] = False
    return _type_checking(fields, allow_tc)


def _layers(options: Mapping[str, Any], allow_tc: bool, roots: tuple[str, ...]) -> dict[str, Any]:
    layers: list[str] = []
    optional: list[str] = []
    for raw in lines(options.get("layers")):
        joint = " : " if ":" in raw and "|" not in raw else " | "
        names = [n.strip() for n in raw.replace("|", ":").split(":")]
        for index, item in enumerate(names):
            if item.startswith("(") and item.endswith(")"):
                names[index] = item[1:-1].strip()
                optional.append(names[index])
        layers.append(joint.join(names))
    fields: dict[str, Any] = {"kind": layers_kind.KIND.name, "layers": layers}
    containers = lines(options.get("containers"))
    if containers:
        fields["containers"] = list(containers)
    if optional:
        fields["optional"] = optional
    if boolean(options.get("exhaustive"), False):
        fields["exhaustive"] = True
        ignores = lines(options.get("exhaustive_ignores"))
        if ignores:
            fields["exhaustive_ignores"] = list(ignores)
    return _type_checking(fields, allow_tc)


def _independence(
    options: Mapping[str, Any], allow_tc: bool, roots: tuple[str, ...]
) -> dict[str, Any]:
    fields = {"kind": independent.KIND.name, "modules": list(lines(options.get("modules")))}
    return _type_checking(fields, allow_tc)


def _acyclic(options: Mapping[str, Any], allow_tc: bool, roots: tuple[str, ...]) -> dict[str, Any]:
    depth = options.get("depth")
    fields: dict[str, Any] = {
        "kind": acyclic.KIND.name,
        "packages": list(lines(options.get("ancestors"))),
        # import-linter's default depth is 10, Charter's 0.
        "depth": int(str(depth)) if depth is not None else 10,
    }
    skipped = lines(options.get("skip_descendants"))
    if skipped:
        fields["skip_descendants"] = list(skipped)
    return fields


def _protected(
    options: Mapping[str, Any], allow_tc: bool, roots: tuple[str, ...]
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kind": protected_modules.KIND.name,
        "modules": list(lines(options.get("protected_modules"))),
        "allowed_importers": list(lines(options.get("allowed_importers"))),
    }
    if not boolean(options.get("as_packages"), True):
        fields["as_packages"] = False
    return fields


def _private(options: Mapping[str, Any], allow_tc: bool, roots: tuple[str, ...]) -> dict[str, Any]:
    # Without a list, import-linter checks the private modules of every root package.
    packages = lines(options.get("packages_with_private_modules")) or roots
    return {"kind": private_modules.KIND.name, "packages": list(packages)}


def _type_checking(fields: dict[str, Any], allow_tc: bool) -> dict[str, Any]:
    if allow_tc:
        fields["allow_type_checking"] = True
    return fields


Builder = Callable[[Mapping[str, Any], bool, tuple[str, ...]], dict[str, Any]]
_BUILDERS: dict[str, Builder] = {
    "forbidden": _forbidden,
    "layers": _layers,
    "independence": _independence,
    "acyclic_siblings": _acyclic,
    "protected": _protected,
    "private_modules": _private,
}
