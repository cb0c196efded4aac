"""Charter's configuration: one typed settings record, and where each value came from.

Precedence, highest first:

1. command-line flags (``--decisions``, ``--source-root``, ...);
2. environment variables ``CHARTER_<KEY>`` (lists comma-separated; ``packages`` as
   ``name=dir,name=dir``);
3. ``.charter.toml`` at the repository root (keys at the top level);
4. ``[tool.charter]`` in ``pyproject.toml`` at the repository root;
5. defaults, some detected from the repository (``docs/adr/`` when there is no
   ``docs/decisions/``; ``src/`` layout; setuptools' ``package-dir``).

The files (3 and 4) and the folders the defaults detect are those of the snapshot under
judgement when one is given (``load(snapshot=...)``): the index under ``check --staged``
and the commit-msg hook, each commit under a range, so an unstaged or untracked edit of
``pyproject.toml`` changes nothing a commit is judged by. Otherwise the working tree.

Keys may be written ``snake_case`` or ``kebab-case``. An unknown key or a value of the
wrong type is an error that names the file, the line and the key. This module stays
free of pydantic so that the commit hook starts fast.
"""

from __future__ import annotations

import bisect
import dataclasses
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from charter.hooks import __version__, tomlfile
from charter.hooks.errors import CharterError
from charter.hooks.globs import glob_problem
from charter.hooks.lazyre import Lazy
from charter.hooks.source import git
from charter.hooks.source.parsed import Kept

if TYPE_CHECKING:
    from charter.hooks.source.snapshot import Snapshot

FORMATS = ("text", "json", "sarif", "github")
# The surfaces of charter.hooks.agents.surfaces, named here so settings stay light.
AGENT_FILES = ("agents", "claude", "gemini", "cursor", "copilot")
_BOOLEANS = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False}
_MODULE = Lazy(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")


@dataclass(frozen=True)
class Settings:
    """Charter's configuration, every value checked (``load`` says where each came from)."""

    root: Path
    decisions: str = "docs/decisions"
    source_roots: tuple[str, ...] = (".",)
    packages: Mapping[str, str] = dataclasses.field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    baseline: str = ".charter/baseline.json"
    cache_dir: str = ".charter_cache"
    format: str = "text"
    journal: bool = False
    namespace_packages: bool = False
    agent_files: tuple[str, ...] = ("agents", "claude")
    unreadable: str = "error"  # severity of a file in scope that cannot be read
    max_file_bytes: int = 1_000_000
    # The snapshot these settings were read from, which also holds the decisions and the
    # code of ``python`` checks (None: the working tree).
    source: Snapshot | None = dataclasses.field(default=None, compare=False, repr=False)


KEYS: dict[str, str] = {
    "decisions": "folder holding the decision records",
    "source_roots": "folders whose children are top-level Python packages",
    "packages": "package name -> folder, for packages that live elsewhere",
    "exclude": "globs of files Charter never reads",
    "baseline": "file recording accepted pre-existing violations",
    "cache_dir": "folder for Charter's cache",
    "format": "output format: text, json, sarif or github",
    "journal": "record every commit attempt under .git/charter/journal/ (docs/journal.md)",
    "namespace_packages": "folders without __init__.py inside a package are packages (PEP 420)",
    "agent_files": "agent files charter agents-md writes: agents, claude, gemini, cursor, copilot",
    "unreadable": "severity of a file in scope Charter cannot read: error or warning",
    "max_file_bytes": "files larger than this are not read (a finding, see 'unreadable')",
}
# What a kept reading of a configuration file depends on besides its bytes (parsed.py):
# bump when _toml_file or _toml_layer read differently.
_READER = f"{__version__}\0reader 1\0" + "\0".join(KEYS)


@dataclass(frozen=True)
class Value:
    """A setting's value and where it came from (shown by ``charter config``)."""

    value: Any
    source: str


class _Files:
    """The configuration files and folders: on disk, or in a snapshot."""

    def __init__(self, root: Path, snapshot: Snapshot | None) -> None:
        self.root = root
        self.snapshot = snapshot
        self._files: list[str] | None = None

    def read(self, name: str) -> bytes | None:
        if self.snapshot is not None:
            return self.snapshot.read(name)
        path = self.root / name
        return tomlfile.read_bytes(path) if path.is_file() else None

    def is_dir(self, folder: str) -> bool:
        if self.snapshot is None:
            return (self.root / folder).is_dir()
        name = Path(folder).as_posix().strip("/")
        if name in (".", ""):
            return True
        if self._files is None:
            self._files = self.snapshot.files()  # sorted: a folder's files follow its name
        prefix = name + "/"
        at = bisect.bisect_left(self._files, prefix)
        return at < len(self._files) and self._files[at].startswith(prefix)


def load(
    root: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    snapshot: Snapshot | None = None,
) -> tuple[Settings, dict[str, Value]]:
    """The effective settings and each value's origin.

    ``overrides`` holds values from command-line flags (``None`` means not given);
    ``snapshot`` is where the files are read (None: the working tree).
    """
    root = git.find_root() if root is None else root.resolve()
    files = _Files(root, snapshot)
    kept = Kept(root, _READER)
    data = files.read("pyproject.toml")
    pyproject, layer = ({}, {}) if data is None else _toml_file(kept, "pyproject.toml", data)
    values = _defaults(files, pyproject)
    values.update(layer)
    charter_toml = files.read(".charter.toml")
    if charter_toml is not None:
        values.update(_toml_file(kept, ".charter.toml", charter_toml)[1])
    kept.save()
    values.update(_env_layer(os.environ if environ is None else environ))
    values.update(_flag_layer(overrides or {}))
    return _validate(files, values), values


def _toml_file(kept: Kept, name: str, data: bytes) -> tuple[dict[str, Any], dict[str, Value]]:
    """The document in ``name`` and the settings it gives, kept from an earlier run
    when the file has the same bytes (``source/parsed.py``)."""
    reading = kept.get(name, data)
    if reading is not None:
        document, layer = reading
        return document, {key: Value(value, source) for key, value, source in layer}
    document = tomlfile.parse(data, name)
    table: Mapping[str, Any] | None = document
    if name == "pyproject.toml":
        try:
            table = tomlfile.table(document, "tool", "charter")
        except TypeError as exc:
            raise CharterError(f"pyproject.toml: {exc}: fix or remove that key") from None
    found = {} if table is None else _toml_layer(name, data, table)
    kept.put(name, data, (document, [(k, v.value, v.source) for k, v in found.items()]))
    return document, found


def _defaults(files: _Files, pyproject: Mapping[str, Any]) -> dict[str, Value]:
    values = {
        field.name: Value(field.default, "default")
        for field in dataclasses.fields(Settings)
        if field.name in KEYS and field.default is not dataclasses.MISSING
    }
    if not files.is_dir("docs/decisions") and files.is_dir("docs/adr"):
        values["decisions"] = Value("docs/adr", "detected: docs/adr exists")
    if files.is_dir("src"):
        values["source_roots"] = Value(("src",), "detected: src/ layout")
    else:
        values["source_roots"] = Value((".",), "detected: flat layout (no src/)")
    try:  # setuptools' own table: a shape setuptools rejects is simply not detected
        package_dir = tomlfile.table(pyproject, "tool", "setuptools", "package-dir") or {}
    except TypeError:
        package_dir = {}
    packages = {str(k): v for k, v in package_dir.items() if k and isinstance(v, str)}
    source = "detected: [tool.setuptools] package-dir" if packages else "default"
    values["packages"] = Value(packages, source)
    return values


def _toml_layer(name: str, data: bytes, table: Mapping[str, Any]) -> dict[str, Value]:
    where = f"{name} [tool.charter]" if name == "pyproject.toml" else name
    text = data.decode("utf-8", errors="replace")
    # In pyproject.toml, look for the keys below [tool.charter], not in other tables.
    header = re.search(r"^[ \t]*\[[ \t]*tool\.charter[ \t]*\]", text, re.MULTILINE)
    start = header.end() if header and name == "pyproject.toml" else 0
    layer: dict[str, Value] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        line = _line_of(text, raw_key, start)
        if key not in KEYS:
            import difflib  # only for the error

            close = difflib.get_close_matches(key, list(KEYS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise CharterError(
                f"{name}:{line}: unknown Charter setting {raw_key!r}{hint}; "
                f"settings are {', '.join(KEYS)}"
            )
        if key in layer:
            raise CharterError(
                f"{name}:{line}: {raw_key!r} is given twice (as snake_case and "
                "kebab-case); keep one"
            )
        layer[key] = Value(value, f"{where}, line {line}")
    return layer


def _line_of(text: str, key: str, start: int = 0) -> int:
    pattern = re.compile(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", re.MULTILINE)
    match = pattern.search(text, start)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _env_layer(environ: Mapping[str, str]) -> dict[str, Value]:
    layer: dict[str, Value] = {}
    for key in KEYS:
        name = f"CHARTER_{key.upper()}"
        if name in environ:
            raw = environ[name]
            value: Any = raw
            if key in ("source_roots", "exclude", "agent_files"):
                value = [part.strip() for part in raw.split(",") if part.strip()]
            elif key == "packages":
                value = dict(_pair(part, name) for part in raw.split(",") if part.strip())
            layer[key] = Value(value, f"environment {name}")
    return layer


def _pair(text: str, where: str) -> tuple[str, str]:
    name, sep, folder = text.partition("=")
    if not sep:
        raise CharterError(f"{where}: {text!r} is not 'package.name=folder'")
    return name.strip(), folder.strip()


def _flag_layer(overrides: Mapping[str, Any]) -> dict[str, Value]:
    return {
        key: Value(value, f"flag --{key.replace('_', '-')}")
        for key, value in overrides.items()
        if value is not None and key in KEYS
    }


class _Reader:
    """Each value read and checked once, its errors naming where it came from."""

    def __init__(self, files: _Files, values: Mapping[str, Value]) -> None:
        self.files = files
        self.values = values

    def fail(self, key: str, problem: str) -> CharterError:
        return CharterError(f"{self.values[key].source}: {key}: {problem}")

    def path(self, key: str) -> str:
        value = self.values[key].value
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"expected a path string, got {value!r}")
        if Path(value).is_absolute() or ".." in Path(value).parts:
            raise self.fail(key, f"{value!r} must be a path inside the repository, relative to it")
        return Path(value).as_posix()

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.values[key].value
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, f"expected a list of strings, got {value!r}")
        return tuple(value)

    def boolean(self, key: str) -> bool:
        value = self.values[key].value
        if isinstance(value, str) and value.strip().lower() in _BOOLEANS:
            value = _BOOLEANS[value.strip().lower()]
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, got {value!r}")
        return value

    def source_roots(self) -> tuple[str, ...]:
        source_roots = self.strings("source_roots")
        for folder in source_roots:
            if Path(folder).is_absolute() or ".." in Path(folder).parts:
                raise self.fail(
                    "source_roots", f"{folder!r} must be relative to the repository root"
                )
            if not self.files.is_dir(folder):
                raise self.fail("source_roots", f"folder {folder!r} does not exist")
        return source_roots

    def exclude(self) -> tuple[str, ...]:
        exclude = self.strings("exclude")
        for pattern in exclude:
            problem = glob_problem(pattern)
            if problem:
                raise self.fail("exclude", problem)
        return exclude

    def packages(self) -> dict[str, str]:
        packages = self.values["packages"].value
        if not isinstance(packages, Mapping):
            raise self.fail("packages", f"expected a table of package = folder, got {packages!r}")
        for name, folder in packages.items():
            if not isinstance(folder, str) or not _MODULE.get().match(str(name)):
                raise self.fail(
                    "packages", f"{name!r} = {folder!r} is not 'package.name' = 'folder'"
                )
            if not self.files.is_dir(folder):
                raise self.fail(
                    "packages", f"folder {folder!r} for package {name!r} does not exist"
                )
        return dict(packages)

    def output_format(self) -> str:
        output_format = self.values["format"].value
        if output_format not in FORMATS:
            raise self.fail("format", f"{output_format!r} is not one of {', '.join(FORMATS)}")
        return str(output_format)

    def agent_files(self) -> tuple[str, ...]:
        agent_files = self.strings("agent_files")
        for name in agent_files:
            if name not in AGENT_FILES:
                import difflib  # only for the error

                close = difflib.get_close_matches(name, AGENT_FILES, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                problem = f"{name!r} is not an agent file{hint}; use {', '.join(AGENT_FILES)}"
                raise self.fail("agent_files", problem)
        return tuple(dict.fromkeys(agent_files))

    def unreadable(self) -> str:
        unreadable = self.values["unreadable"].value
        if unreadable not in ("error", "warning"):
            raise self.fail("unreadable", f"{unreadable!r} is not 'error' or 'warning'")
        return str(unreadable)

    def max_file_bytes(self) -> int:
        value = self.values["max_file_bytes"].value
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)  # from the environment
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail("max_file_bytes", f"expected a whole number of bytes, got {value!r}")
        if value < 1:
            raise self.fail("max_file_bytes", f"{value} must be at least 1")
        return value


def _validate(files: _Files, values: Mapping[str, Value]) -> Settings:
    read = _Reader(files, values)
    source_roots = read.source_roots()
    exclude = read.exclude()
    packages = read.packages()
    output_format = read.output_format()
    agent_files = read.agent_files()
    unreadable = read.unreadable()
    max_file_bytes = read.max_file_bytes()
    cache_dir = read.path("cache_dir")
    problem = _shared_cache_dir(cache_dir, read.path("decisions"), source_roots, packages)
    if problem:
        raise read.fail("cache_dir", problem)
    return Settings(
        root=files.root,
        decisions=read.path("decisions"),
        source_roots=source_roots,
        packages=packages,
        exclude=exclude,
        baseline=read.path("baseline"),
        cache_dir=cache_dir,
        format=output_format,
        journal=read.boolean("journal"),
        namespace_packages=read.boolean("namespace_packages"),
        agent_files=agent_files,
        unreadable=unreadable,
        max_file_bytes=max_file_bytes,
        source=files.snapshot,
    )


def _shared_cache_dir(
    cache_dir: str, decisions: str, source_roots: Sequence[str], packages: Mapping[str, str]
) -> str | None:
    """Why ``cache_dir`` is not a folder of Charter's own, or None.

    Charter writes a ``.gitignore`` of ``*`` into it: the repository root or a folder
    holding the project's files would silently drop new work from ``git add``.
    """
    cache = Path(cache_dir)
    if cache == Path("."):
        return (
            f"{cache_dir!r} is the repository root: Charter writes a '.gitignore' of '*' into "
            "its cache folder, which would leave new files out of commits; use a dedicated "
            "folder such as '.charter_cache'"
        )
    owned = {"decisions folder": decisions}
    owned.update({f"source root {r!r}": r for r in source_roots if Path(r) != Path(".")})
    owned.update({f"folder of package {n!r}": f for n, f in packages.items()})
    for what, folder in owned.items():
        if cache == Path(folder) or cache in Path(folder).parents:
            return (
                f"{cache_dir!r} holds the {what}: the cache needs a folder of its own, "
                "such as '.charter_cache'"
            )
    return None


def render(values: Mapping[str, Value]) -> str:
    """The effective settings as TOML, each value followed by its origin."""
    rows = [(key, _toml(values[key].value), values[key].source) for key in KEYS]
    width = max(len(f"{key} = {text}") for key, text, _ in rows)
    return "\n".join(f"{f'{key} = {text}':<{width}}  # {source}" for key, text, source in rows)


def _toml(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_toml(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, Sequence):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return str(value)
