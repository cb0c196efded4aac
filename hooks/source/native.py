"""The imports of many files at once, located by grimp's Rust parser.

A cold run's cost is finding the imports of every module: ``ast.parse`` of Django's 879
files takes ~1.2 s of CPU, grimp's Rust scanner (import-linter's engine, installed with
it) ~0.15 s on the same two cores (``bench/builders.py`` measures both, and ruff's
``analyze graph``, which gives no line numbers). grimp resolves what it finds into its
own graph (``import a.b`` of a missing ``a.b`` becomes ``a``; third-party imports are
squashed to their package), so here it only *locates* the import statements: for each
line it reports, the statement written there is read back from the text (a regex for the
plain forms, ``ast`` on that statement alone otherwise), giving exactly the records
``facts.extract`` gives.

In a file that mentions ``TYPE_CHECKING``, an import is type-checking only when
``facts.guarded_imports`` says so of the ``if`` (or ``elif``) guard around it, each guard
read by ``ast`` with its block alone; grimp's own answer (a second scan, excluding such
imports) must agree line by line. grimp's rule differs in corners (it also flags an
``else`` branch and forgets an outer guard after an inner one), so where the two
disagree, or a guard's test spans lines, the file is left to ``facts.extract``.

A file is left to the pure-Python path (``facts.extract``), which is also the whole
fallback when grimp is not installed, when:

- it starts with whitespace (a blank or indented first line): grimp's in-memory file
  system would strip it, and report the lines below with other numbers, or an indented
  first line as no syntax error;
- its ``TYPE_CHECKING`` guards cannot be read as above;
- grimp cannot scan it (a syntax error; grimp panics on a relative import above the top
  package: then the whole batch falls back);
- a statement on a reported line cannot be read back, or its modules do not match the
  ones grimp found there.
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from charter.hooks.lazyre import Lazy
from charter.hooks.source import rustgrimp
from charter.hooks.source.facts import Import, guarded_imports, resolve_relative

_NAME = r"[^\W\d]\w*"
_DOTTED = rf"{_NAME}(?:\s*\.\s*{_NAME})*"
_ALIAS = rf"{_DOTTED}(?:\s+as\s+{_NAME})?"
_PLAIN_IMPORT = Lazy(rf"import\s+({_ALIAS}(?:\s*,\s*{_ALIAS})*)\s*(?:#.*)?\Z")
_PLAIN_FROM = Lazy(
    rf"from\s+(\.*)\s*({_DOTTED})?\s+import\s+"
    rf"(\*|\(?\s*{_ALIAS}(?:\s*,\s*{_ALIAS})*\s*,?\s*\)?)\s*(?:#.*)?\Z"
)
_STATEMENT_START = Lazy(r"(?:\A|[;:])\s*(?=(?:from|import)\b)")
_SYNTAX_ERROR_IN = Lazy(r"Syntax error in /(\S+?)\.py\b")
# The characters ``str.splitlines`` breaks lines at.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_OTHER_BREAKS = _BREAKS.replace("\n", "")
MIN_FILES = 32  # fewer new files are parsed by ast: see scan()
MIN_CHARS = 48_000  # ... unless they are this large together (one big module is enough)
MAX_CONTINUATION = 40  # lines a parenthesised import may span before we give up
MAX_RETRIES = 3  # files with syntax errors dropped from one batch before falling back
MAX_GUARD_PARSES = 50  # attempts to read one TYPE_CHECKING guard's block before giving up
_IF = Lazy(r"[ \t]*(el)?if\b")


@dataclass(frozen=True)
class Job:
    """One file to scan: its module, whether it is a package's ``__init__``, its text."""

    module: str
    is_package: bool
    text: str


def available() -> bool:
    """Whether grimp's Rust scanner can be imported (it ships with import-linter).

    ``CHARTER_NATIVE=0`` in the environment turns it off: every file is then read by
    ``facts.extract`` (the parity tests compare the two paths this way). The records of
    its arguments are imported with it (~3 ms), not when the scan starts.
    """
    if os.environ.get("CHARTER_NATIVE") == "0":
        return False
    try:
        _rust()
        rustgrimp.scan_arguments()
    except ImportError:
        return False
    return True


def _rust() -> Any:
    """grimp's compiled module (untyped: it ships no stubs)."""
    return rustgrimp.rust()


def scan(
    jobs: Mapping[str, Job], scanned: Callable[[], None] | None = None
) -> dict[str, tuple[Import, ...]]:
    """The imports of the files (path -> job) grimp could locate; the rest are absent.

    Records are in source order (line, column), as ``facts.extract`` orders them. Below
    ``MIN_FILES`` files of fewer than ``MIN_CHARS`` characters together nothing is
    scanned (importing grimp, ~50 ms, costs more than parsing a commit's few small files;
    on Django, ``ast`` takes longer than that for one 100 KB module), unless
    ``CHARTER_NATIVE=1`` asks for it. ``scanned`` is called once grimp is done (before
    the read-back), or will not run.
    """
    few = len(jobs) < MIN_FILES and sum(len(job.text) for job in jobs.values()) < MIN_CHARS
    if few and os.environ.get("CHARTER_NATIVE") != "1":
        return _after(scanned, {})
    wanted = {
        path: job
        for path, job in jobs.items()
        # A top-level module that is not a package has no folder for grimp to look in.
        if (job.is_package or "." in job.module) and _starts_a_line(job.text)
    }
    if not wanted or not available():
        return _after(scanned, {})
    lines = _located_lines(wanted)
    # The second scan (type-checking imports excluded) reads only files the first one
    # could: a syntax error would end it again.
    typed = {p: job for p, job in wanted.items() if "TYPE_CHECKING" in job.text}
    guarded = _grimp_guarded({p: job for p, job in typed.items() if job.module in lines}, lines)
    if scanned is not None:
        scanned()
    found: dict[str, tuple[Import, ...]] = {}
    plain: dict[str, _Plain | None] = {}  # shared: the same statements recur in many files
    for path, job in wanted.items():
        located = lines.get(job.module)
        if located is None:
            continue
        imports = _read_back(job, located, plain)
        if imports is not None and job.module in guarded:
            imports = _with_guards(job, imports, guarded[job.module])
        if imports is not None:
            found[path] = imports
    return found


_T = TypeVar("_T")


def _after(scanned: Callable[[], None] | None, value: _T) -> _T:
    if scanned is not None:
        scanned()
    return value


def _starts_a_line(text: str) -> bool:
    """Whether the text starts with neither whitespace nor a line break: only then does
    grimp's file system keep every line as it is. It dedents the lines by their least
    indentation and strips the text: an indented first line would parse there (a syntax
    error to Python), and the lines after a blank first one would be numbered too low.
    (``str.isspace`` holds for every character Rust strips, and a few more.)"""
    return not text[:1].isspace()


def _synthetic_path(module: str, is_package: bool) -> str:
    """A path in grimp's in-memory file system that names the module, whatever the
    repository's layout (source roots, ``packages`` mappings)."""
    base = "/" + module.replace(".", "/")
    return base + "/__init__.py" if is_package else base + ".py"


def _module_of_synthetic(stem: str) -> str:
    module = stem.replace("/", ".")
    return module.removesuffix(".__init__")


def _located_lines(
    jobs: Mapping[str, Job], exclude_type_checking: bool = False
) -> dict[str, dict[int, set[str]]]:
    """module -> line -> the top-level names grimp found imported on that line."""
    pending = {job.module: job for job in jobs.values()}
    for _ in range(MAX_RETRIES + 1):
        try:
            return _grimp_scan(pending, exclude_type_checking)
        except Exception as exc:  # grimp reports a syntax error (and others) this way
            match = _SYNTAX_ERROR_IN.get().search(str(exc))
            broken = None if match is None else _module_of_synthetic(match.group(1))
            if broken not in pending:
                return {}
            del pending[broken]  # left to ast, which reports the syntax error
        except BaseException as exc:  # grimp's Rust panics arrive as BaseException
            if type(exc).__name__ != "PanicException":
                raise
            return {}
    return {}


# Whether grimp takes ``rustgrimp.light_arguments``: until it refuses them once.
_LIGHT = [True]


def _grimp_scan(
    jobs: Mapping[str, Job], exclude_type_checking: bool
) -> dict[str, dict[int, set[str]]]:
    light = _LIGHT[0]
    try:
        return _scanned(jobs, exclude_type_checking, light)
    except Exception as exc:  # a syntax error, or the records refused
        if not light or _SYNTAX_ERROR_IN.get().search(str(exc)):
            raise
    except BaseException as exc:  # grimp's Rust panics arrive as BaseException
        if not light or type(exc).__name__ != "PanicException":
            raise
    found = _scanned(jobs, exclude_type_checking, light=False)  # raises what it raises
    _LIGHT[0] = False  # grimp refused the light records alone: its own from now on
    return found


def _scanned(
    jobs: Mapping[str, Job], exclude_type_checking: bool, light: bool
) -> dict[str, dict[int, set[str]]]:
    rust = _rust()
    # The in-memory file system (made for grimp's tests) dedents what it is given by the
    # least indentation of its lines but the first, and strips it: after a newline, a
    # text that starts a line (``_starts_a_line``) is given back line for line.
    contents = {_synthetic_path(m, job.is_package): "\n" + job.text for m, job in jobs.items()}
    with rustgrimp.plain_answers(light) as (FoundPackage, ModuleFile, Module), _quiet_stderr():
        by_top: dict[str, set[Any]] = {}
        for module in jobs:
            file = ModuleFile(Module(module), 0.0)
            by_top.setdefault(module.partition(".")[0], set()).add(file)
        packages = {
            FoundPackage(name=top, directory=f"/{top}", module_files=frozenset(files))
            for top, files in by_top.items()
        }
        found = rust.scan_for_imports(
            module_files=tuple(f for files in by_top.values() for f in files),
            found_packages=packages,
            include_external_packages=True,
            exclude_type_checking_imports=exclude_type_checking,
            file_system=rust.FakeBasicFileSystem(content_map=contents),
        )
    lines: dict[str, dict[int, set[str]]] = {}
    for module, direct in found.items():
        per_line = lines[module if type(module) is str else module.name] = {}
        for item in direct:
            if type(item) is str:  # rustgrimp.ANSWER
                number, _, imported = item.partition(" ")
                line = int(number)
            else:  # grimp's own records
                line, imported = item.line_number, item.imported.name
            per_line.setdefault(line, set()).add(imported.partition(".")[0])
    for module in jobs:
        lines.setdefault(module, {})
    return lines


def _grimp_guarded(
    jobs: Mapping[str, Job], located: Mapping[str, Mapping[int, set[str]]]
) -> dict[str, set[int] | None]:
    """module -> the located lines whose every import grimp calls type-checking only
    (None: some but not all of a line's imports, or the second scan failed)."""
    if not jobs:
        return {}
    rest = _located_lines(jobs, exclude_type_checking=True)
    guarded: dict[str, set[int] | None] = {}
    for job in jobs.values():
        full, kept = located.get(job.module), rest.get(job.module)
        if (
            full is None
            or kept is None
            or any(kept.get(line, names) not in (names, set()) for line, names in full.items())
        ):
            guarded[job.module] = None
            continue
        guarded[job.module] = {line for line in full if line not in kept}
    return guarded


def _with_guards(
    job: Job, imports: tuple[Import, ...], by_grimp: set[int] | None
) -> tuple[Import, ...] | None:
    """The records with their ``type_checking`` flag, as ``facts.extract`` sets it, or
    None when the guards cannot be read or grimp disagrees."""
    if by_grimp is None:
        return None
    guarded = _guarded_lines(job.text.splitlines())
    if guarded is None or guarded & {i.line for i in imports} != by_grimp:
        return None
    return tuple(i._replace(type_checking=True) if i.line in guarded else i for i in imports)


def _guarded_lines(lines: list[str]) -> set[int] | None:
    """The lines of the import statements under every ``if``/``elif TYPE_CHECKING:``
    guard; None when an ``if`` test goes on below its line (it could be a guard this
    line-by-line reading does not see) or a guard's block cannot be read."""
    guarded: set[int] = set()
    for number, line in enumerate(lines, 1):
        match = _IF.get().match(line)
        if match is None:
            continue
        code = line.partition("#")[0].rstrip()
        if code.count("(") != code.count(")") or code.endswith("\\"):
            return None
        if "TYPE_CHECKING" in code:
            block = _guard_block(lines, number, is_elif=match.group(1) is not None)
            if block is None:
                return None
            guarded |= block
    return guarded


def _guard_block(lines: list[str], number: int, is_elif: bool) -> set[int] | None:
    """The lines of the imports the ``if`` on line ``number`` guards: its statement read
    by ``ast`` alone (an ``elif`` as an ``if``, columns kept), from its line to the first
    line after its block, found by trying each less indented line in turn."""
    head = lines[number - 1]
    if is_elif:
        head = head.replace("elif", "if  ", 1)
    indent = len(head) - len(head.lstrip())
    prefix = ["if 1:"] if indent else []  # an indented statement parses inside a block
    end = number
    for _ in range(MAX_GUARD_PARSES):
        end = _block_end(lines, end, indent)
        try:
            tree = ast.parse("\n".join([*prefix, head, *lines[number:end]]))
        except (SyntaxError, ValueError):
            if end >= len(lines):
                return None
            end += 1  # that line was inside a string or brackets: try the next one
            continue
        node = tree.body[0]
        if prefix and isinstance(node, ast.If):
            node = node.body[0]
        if not isinstance(node, ast.If):
            return None
        shift = number - 1 - len(prefix)
        return {inner.lineno + shift for inner in guarded_imports(node)}
    return None


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The index of the first line from ``start`` with code indented no more than
    ``indent`` (``len(lines)`` if none)."""
    for index in range(start, len(lines)):
        stripped = lines[index].lstrip()
        if (
            stripped
            and not stripped.startswith("#")
            and len(lines[index]) - len(stripped) <= indent
        ):
            return index
    return len(lines)


class _quiet_stderr:
    """Rust prints a panic's message on file descriptor 2 before Python sees it; the
    fallback handles the panic, so the message would only alarm the user."""

    def __enter__(self) -> None:
        self._saved: int | None = None
        try:
            sys.stderr.flush()
            self._saved = os.dup(2)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 2)
            os.close(devnull)
        except OSError:
            self._saved = None

    def __exit__(self, *exc: object) -> None:
        if self._saved is not None:
            os.dup2(self._saved, 2)
            os.close(self._saved)


def _read_back(
    job: Job, located: Mapping[int, set[str]], plain: dict[str, _Plain | None]
) -> tuple[Import, ...] | None:
    """The import records of the statements on the located lines, or None. ``plain``
    keeps what each statement text read as (``_plain``), for this file and the next."""
    lines = _head_lines(job.text, max(located, default=0))
    package_of = job.module if job.is_package else job.module.rpartition(".")[0]
    imports: list[Import] = []
    for number in sorted(located):
        if not 0 < number <= len(lines):
            return None
        records = _statements_at(lines, number, package_of, plain)
        if not records:
            return None
        tops = {record[0].partition(".")[0] for record in records}
        if not located[number] <= tops:  # grimp saw a module we did not read back
            return None
        imports.extend(records)
    # In source order, as ``facts.extract`` gives them: by line, and each line's records
    # are its statements' from left to right.
    return tuple(imports)


def _head_lines(text: str, last: int) -> list[str]:
    """The lines of ``text`` as ``str.splitlines`` numbers them, as far as the read-back
    looks: to line ``last`` and ``MAX_CONTINUATION`` more (an item after those may hold
    the rest of the text, never read). Most imports are near the top of a file: split
    whole, every file's lines were a third of the read-back on Django."""
    if not text or any(other in text for other in _OTHER_BREAKS):
        return text.splitlines()
    lines = text.split("\n", last + MAX_CONTINUATION)
    if len(lines) <= last + MAX_CONTINUATION and not lines[-1]:
        lines.pop()  # the text ends with a break: ``splitlines`` gives no line after it
    return lines


def _statements_at(
    lines: list[str], number: int, package_of: str, plain: dict[str, _Plain | None]
) -> list[Import] | None:
    """The imports of the statements that start on line ``number``."""
    line = lines[number - 1]
    stripped = line.lstrip()
    text = _joined(lines, number, stripped)
    if text not in plain:
        plain[text] = _plain(text)
    read = plain[text]
    if read is not None:
        col = len(line) - len(stripped) + 1
        return [
            _make(Import, (target, names, number, col, False))
            for module, level, names in read
            if (target := resolve_relative(module, level, package_of)) is not None
        ]
    for start in _STATEMENT_START.get().finditer(line):
        begin = start.end()
        records = _parsed(lines, number, begin, package_of)
        if records is not None:
            return records
    return None


# An Import made in C: ``Import(...)`` runs a named tuple's Python ``__new__`` (~90,000
# of them on the bench's generated tree).
_make = tuple.__new__


def _joined(lines: list[str], number: int, stripped: str) -> str:
    """A ``from x import (`` list that goes on below, on one line (comments dropped);
    other statements as they are."""
    if "(" not in stripped or ")" in stripped or "'" in stripped or '"' in stripped:
        return stripped
    parts = [stripped.partition("#")[0]]
    for following in lines[number : number + MAX_CONTINUATION]:
        if "'" in following or '"' in following:
            return stripped  # a string: left to ast
        parts.append(following.partition("#")[0])
        if ")" in following:
            return " ".join(parts)
    return stripped


# A statement of a plain form, wherever it is written: each record's module as written,
# its level (the dots of a relative import) and the names it imports.
_Plain = tuple[tuple[str | None, int, tuple[str, ...]], ...]


def _plain(text: str) -> _Plain | None:
    """The common one-line forms, without ``ast`` (None: another form).

    On Django, 4,233 located lines hold 1,804 different statements (``from django.db
    import models``...): ``scan`` reads each text once, its records then only placed.
    """
    # Each pattern starts with its keyword: only one can match.
    match = _PLAIN_IMPORT.get().match(text) if text.startswith("import") else None
    if match:
        return tuple((module, 0, ()) for module in _first_words(match.group(1)))
    match = _PLAIN_FROM.get().match(text) if text.startswith("from") else None
    if match is None or match.group(3).count("(") != match.group(3).count(")"):
        return None  # a parenthesised list that goes on below: left to ast
    dots, module, names = match.groups()
    plain_names = tuple(_first_words(names.replace("(", " ").replace(")", " ")))
    return ((_squeeze(module) if module else None, len(dots), plain_names),)


def _first_words(text: str) -> list[str]:
    """``a.b as c, d`` -> ``['a.b', 'd']``: each alias's dotted name."""
    if " ." in text or ". " in text:  # a dotted name written with spaces: rare
        return [_squeeze(part.split(" as ")[0]) for part in text.split(",") if part.strip()]
    return [part.split()[0] for part in text.split(",") if part.strip()]


def _squeeze(dotted: str) -> str:
    return "".join(dotted.split())


def _parsed(lines: list[str], number: int, begin: int, package_of: str) -> list[Import] | None:
    """The statements from column ``begin`` of line ``number``, read by ``ast``, with
    as many following lines as a parenthesised or continued statement needs."""
    head = lines[number - 1][begin:]
    prefix_bytes = len(lines[number - 1][:begin].encode("utf-8"))
    snippet = head
    for extra in range(MAX_CONTINUATION):
        try:
            tree = ast.parse(snippet)
        except (SyntaxError, ValueError):
            if number + extra >= len(lines):
                return None
            snippet += "\n" + lines[number + extra]
            continue
        return _records(tree, number, prefix_bytes, package_of)
    return None


def _records(tree: ast.Module, number: int, prefix: int, package_of: str) -> list[Import] | None:
    records: list[Import] = []
    for node in tree.body:
        if node.lineno != 1:
            break  # a later statement of the snippet: not on this line
        col = prefix + node.col_offset + 1
        if isinstance(node, ast.Import):
            records.extend(Import(a.name, (), number, col, False) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = resolve_relative(node.module, node.level, package_of)
            if target is not None:
                names = tuple(a.name for a in node.names)
                records.append(Import(target, names, number, col, False))
        elif not records:
            return None  # the snippet did not start with an import: a wrong start
    return records
