"""Read decision records: Markdown files with YAML front matter.

Each file yields a ``DecisionFile`` (the validated front matter, the prose and a map
from every key in the front matter to its line) or problems that name the file, the
line of the offending key and the fix. Nothing is skipped without a word: a Markdown
file in the decisions folder without front matter is reported as a warning (README,
index and template files excepted).

Where the front matter leaves them out, ``id`` comes from the file name
(``0007-use-repositories.md`` is ``ADR-0007``) and ``title`` from the first ``# ``
heading, so MADR files work as they are.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from charter.hooks import boundedyaml
from charter.hooks.diagnostics import Problem, field_path
from charter.hooks.kinds import KINDS
from charter.hooks.source.snapshot import Snapshot

if TYPE_CHECKING:
    from charter.hooks.decisions.model import DecisionBase

#: Validates a record's front matter (the data YAML gave) another way than with the
#: models (``decisions/plain.py``: a record with the model's fields): it returns the
#: record or raises, and the caller validates with the models.
Validate = Callable[[dict[str, Any]], "DecisionBase"]

Loc = tuple[str | int, ...]

NOT_DECISIONS = re.compile(r"^(readme|index|template|adr-template|_.*|\..*)\.md$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(\d+)[-_ .]")
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_DELIMITER = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")

_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Front matter is untrusted input (anyone may add a decision): bounds on what one file
# may cost, far above any real decision (aliases are bounded in boundedyaml).
MAX_FRONT_MATTER_BYTES = 256 * 1024


@dataclass(frozen=True)
class Header:
    """What cross-file checks need, read even from a decision with errors elsewhere."""

    path: str  # repository-relative, POSIX
    id: str
    status: str
    supersedes: tuple[str, ...]
    lines: Mapping[Loc, int] = field(repr=False)

    def line_of(self, *loc: str | int) -> int:
        """The line of the deepest key of ``loc`` present in the front matter."""
        return line_for(self.lines, loc)


@dataclass(frozen=True)
class DecisionFile:
    """One valid decision record as read from disk."""

    path: str  # repository-relative, POSIX
    decision: DecisionBase
    body: str
    lines: Mapping[Loc, int] = field(repr=False)

    def line_of(self, *loc: str | int) -> int:
        """The line of the deepest key of ``loc`` present in the front matter."""
        return line_for(self.lines, loc)


class Parsed(NamedTuple):
    """One file's outcome: a decision (None when invalid or not a decision)."""

    file: DecisionFile | None
    header: Header | None
    problems: list[Problem]
    is_documentation: bool = False


@dataclass(frozen=True)
class LoadResult:
    files: tuple[DecisionFile, ...]
    headers: tuple[Header, ...]  # of every file with readable front matter, valid or not
    problems: tuple[Problem, ...]
    skipped: tuple[str, ...] = ()  # documentation files, not decisions (README, template)


def line_for(lines: Mapping[Loc, int], loc: Iterable[str | int]) -> int:
    """Map a pydantic error location to a line, skipping parts that are not keys.

    Discriminated unions add the tag (``forbid-import``) and unions the member type
    to the location; those parts are not in the front matter and are skipped.
    """
    path: Loc = ()
    for part in loc:
        if (*path, part) in lines:
            path = (*path, part)
    return lines.get(path, lines.get((), 1))


def find_decision_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.md") if p.is_file() and not p.is_symlink())


SYMLINK = (
    "is a symbolic link: Charter reads decision records only as regular files, so its "
    "rules would not be enforced; replace the link with the file itself"
)


def _symlink_problems(links: Iterable[str]) -> list[tuple[str, Parsed]]:
    return [(rel, _failed(rel, 1, SYMLINK)) for rel in links if rel.endswith(".md")]


def load_folder(root: Path, folder: str, validate: Validate | None = None) -> LoadResult:
    """Load every decision record under ``root / folder`` (``validate``: see ``Validate``)."""
    directory = root / folder
    if not directory.is_dir():
        return LoadResult(
            (),
            (),
            (
                Problem(
                    folder,
                    0,
                    "error",
                    f"decisions folder {folder!r} does not exist: create it, or set "
                    "'decisions' under [tool.charter] in pyproject.toml",
                ),
            ),
        )
    paths = find_decision_files(directory)
    rels = [path.relative_to(root).as_posix() for path in paths]
    links = sorted(
        p.relative_to(root).as_posix() for p in directory.rglob("*.md") if p.is_symlink()
    )
    loaded = [(rel, load_file(path, rel, validate)) for path, rel in zip(paths, rels, strict=True)]
    return _result([*loaded, *_symlink_problems(links)])


def load_snapshot(snapshot: Snapshot, folder: str, validate: Validate | None = None) -> LoadResult:
    """Load every decision record under ``folder`` of a snapshot (a commit, the index)."""
    from charter.hooks.source.snapshot import symlinks

    prefix = folder.rstrip("/") + "/"
    parsed: list[tuple[str, Parsed]] = _symlink_problems(symlinks(snapshot, folder))
    for rel in snapshot.files():
        if rel.startswith(prefix) and rel.endswith(".md"):
            data = snapshot.read(rel) or b""
            try:
                parsed.append((rel, parse_text(data.decode("utf-8-sig"), rel, validate)))
            except UnicodeDecodeError as exc:
                parsed.append((rel, _failed(rel, 1, f"not valid UTF-8 ({exc.reason})")))
    return _result(parsed)


def _result(parsed: list[tuple[str, Parsed]]) -> LoadResult:
    return LoadResult(
        files=tuple(p.file for _, p in parsed if p.file is not None),
        headers=tuple(p.header for _, p in parsed if p.header is not None),
        problems=tuple(problem for _, p in parsed for problem in p.problems),
        skipped=tuple(rel for rel, p in parsed if p.is_documentation),
    )


def load_file(path: Path, rel: str, validate: Validate | None = None) -> Parsed:
    """Read and parse one decision record."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _failed(rel, 1, f"not valid UTF-8 ({exc.reason}); save the file as UTF-8")
    except OSError as exc:
        return _failed(rel, 1, f"cannot read: {exc.strerror}")
    return parse_text(text, rel, validate)


def _failed(rel: str, line: int, message: str) -> Parsed:
    return Parsed(None, None, [Problem(rel, line, "error", message)])


def parse_text(text: str, rel: str, validate: Validate | None = None) -> Parsed:
    """Parse a decision record's text; ``rel`` names it in problems."""
    lines = text.splitlines()
    if not lines or not _DELIMITER.match(lines[0]):
        if NOT_DECISIONS.match(Path(rel).name):
            return Parsed(None, None, [], is_documentation=True)
        message = (
            "no YAML front matter, so Charter cannot read this decision: start the file "
            "with '---', then 'id:', 'title:' and 'status:' lines, then '---'"
        )
        return Parsed(None, None, [Problem(rel, 1, "warning", message)])
    end = next((i for i in range(1, len(lines)) if _END.match(lines[i])), None)
    if end is None:
        return _failed(rel, 1, "front matter is not closed: add a line '---' after it")
    front = "\n".join(lines[1:end]) + "\n"
    if len(front.encode("utf-8", "surrogatepass")) > MAX_FRONT_MATTER_BYTES:
        return _failed(
            rel,
            1,
            f"front matter is larger than {MAX_FRONT_MATTER_BYTES // 1024} KiB: keep the "
            "constraints short and move prose below the closing '---'",
        )
    body = "\n".join(lines[end + 1 :])
    offset = 2  # front matter starts on the second line of the file
    problems: list[Problem] = []
    try:
        data, line_map = _compose(front, offset, rel, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + offset if mark is not None else 1
        what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if "mapping values are not allowed" in what:
            what += " (a value containing ': ' must be quoted)"
        return _failed(rel, line, f"malformed YAML front matter: {what}")
    except yaml.YAMLError as exc:
        return _failed(rel, 1, f"malformed YAML front matter: {exc}")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return _failed(rel, offset, "front matter must be a mapping of 'key: value' lines")
    data = {str(key): value for key, value in data.items()}
    _default_id_and_title(data, rel, body)
    header = _header(rel, data, line_map)
    if validate is not None:
        return Parsed(DecisionFile(rel, validate(data), body, line_map), header, problems)
    from pydantic import ValidationError

    from charter.hooks.decisions.model import (
        KNOWN_FOREIGN_KEYS,
        DecisionBase,
        decision_model,
        kinds_named,
    )

    for key in data:
        if key not in DecisionBase.model_fields and key not in KNOWN_FOREIGN_KEYS:
            problems.append(
                Problem(rel, line_map.get((key,), offset), "warning", _unknown_top_level(key))
            )
    try:
        decision = decision_model(kinds_named(data)).model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            if _follows_item_errors(error):
                continue
            problems.append(
                Problem(rel, line_for(line_map, error["loc"]), "error", describe(error, data))
            )
        return Parsed(None, header, _unique(problems))
    return Parsed(DecisionFile(rel, decision, body, line_map), header, problems)


def _header(rel: str, data: Mapping[str, Any], line_map: Mapping[Loc, int]) -> Header | None:
    ident = data.get("id")
    if not isinstance(ident, str):
        return None
    supersedes = data.get("supersedes", ())
    if isinstance(supersedes, str):
        supersedes = (supersedes,)
    if not isinstance(supersedes, (list, tuple)):
        supersedes = ()
    status = str(data.get("status", "")).lower()
    return Header(
        path=rel,
        id=ident,
        status=status,
        supersedes=tuple(str(s) for s in supersedes),
        lines=line_map,
    )


def _default_id_and_title(data: dict[str, Any], rel: str, body: str) -> None:
    if "id" not in data:
        number = _NUMBERED.match(Path(rel).name)
        if number:
            data["id"] = f"ADR-{number.group(1)}"
    if "title" not in data:
        heading = _HEADING.search(body)
        if heading:
            title = heading.group(1)
            ident = str(data.get("id", ""))
            if ident and title.startswith(ident):
                title = title[len(ident) :].lstrip(":.- \t")
            data["title"] = title


def _compose(
    text: str, offset: int, rel: str, problems: list[Problem]
) -> tuple[Any, dict[Loc, int]]:
    """The YAML data and a map from each key path to its line in the file."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            boundedyaml.check(node)
        try:
            data = loader.construct_document(node) if node is not None else None
        except ValueError as exc:  # well-formed but impossible: 2026-13-01, !!int abc
            bad = _unconstructable(loader, node)
            raise yaml.MarkedYAMLError(
                problem=f"cannot read the value {bad.value!r}: {exc}" if bad else str(exc),
                problem_mark=bad.start_mark if bad else None,
            ) from None
    finally:
        loader.dispose()
    line_map: dict[Loc, int] = {(): offset}
    if node is not None:
        _walk(node, (), offset, line_map, rel, problems)
    return data, line_map


def _unconstructable(loader: yaml.SafeLoader, node: yaml.Node | None) -> yaml.ScalarNode | None:
    """The first scalar below ``node`` whose tag's constructor rejects its text."""
    if isinstance(node, yaml.ScalarNode):
        constructor = loader.yaml_constructors.get(node.tag)
        try:
            if constructor is not None:
                constructor(loader, node)
        except ValueError:
            return node
        return None
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    for child in children:
        found = _unconstructable(loader, child)
        if found is not None:
            return found
    return None


def _walk(
    node: yaml.Node,
    path: Loc,
    offset: int,
    line_map: dict[Loc, int],
    rel: str,
    problems: list[Problem],
) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + offset
            if key in seen:
                where = field_path((*path, key))
                problems.append(
                    Problem(
                        rel,
                        line,
                        "error",
                        f"{where}: key given twice (first on line {seen[key]}); YAML would "
                        "keep only the last one: remove one of them",
                    )
                )
            seen[key] = line
            key_path = (*path, key)
            line_map[key_path] = line
            _walk(value_node, key_path, offset, line_map, rel, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            item_path = (*path, index)
            line_map[item_path] = item.start_mark.line + offset
            _walk(item, item_path, offset, line_map, rel, problems)


def _field_path(loc: tuple[str | int, ...], data: Mapping[str, Any]) -> str:
    """``constraints[0].to`` from a pydantic location, without union tags."""
    parts: list[str | int] = []
    node: Any = data
    for part in loc:
        in_mapping = isinstance(node, Mapping) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and part < len(node)
        if in_mapping or in_list:
            parts.append(part)
            node = node[part]
    return field_path(parts)


def describe(error: Mapping[str, Any], data: Mapping[str, Any]) -> str:
    """A pydantic error as a sentence that names the field and the fix."""
    loc: tuple[str | int, ...] = tuple(error["loc"])
    kind = error["type"]
    where = _field_path(loc, data)
    constraint = _constraint_of(loc, data)
    from charter.hooks.decisions.model import STATUSES, kind_model

    if kind == "extra_forbidden":
        key = str(loc[-1])
        model = kind_model(constraint)
        fields = {} if model is None else model.model_fields
        allowed = sorted(info.alias or name for name, info in fields.items() if name != "kind")
        hint = _did_you_mean(key, allowed)
        return (
            f"{where}: unknown key {key!r} in a {constraint!r} constraint{hint}; "
            f"allowed keys: {', '.join(allowed)}"
        )
    if kind == "missing":
        key = str(loc[-1])
        if not constraint:
            return f"missing required key {key!r} in the front matter: add '{key}: ...'"
        owner = _field_path(loc[:-1], data)
        return f"{owner}: missing required key {key!r} for a {constraint!r} constraint"
    if kind == "union_tag_invalid":
        tag = str(error.get("ctx", {}).get("tag", ""))
        hint = _did_you_mean(tag, list(KINDS))
        return f"{where}: unknown constraint kind {tag!r}{hint}; kinds: {', '.join(KINDS)}"
    if kind == "union_tag_not_found":
        return f"{where}: constraint has no 'kind'; add one of: {', '.join(KINDS)}"
    if kind == "literal_error" and loc == ("status",):
        status = str(data.get("status"))
        hint = _did_you_mean(status.lower(), list(STATUSES))
        return (
            f"status: {status!r} is not a status{hint}; use proposed, accepted, deprecated, "
            "superseded or rejected"
        )
    if kind == "too_short":
        minimum = error.get("ctx", {}).get("min_length")
        return f"{where}: needs at least {minimum} item(s), got {_short(error.get('input'))}"
    message = str(error["msg"])
    if message.startswith(("Value error, ", "Assertion failed, ")):
        message = message.split(", ", 1)[1]
    if kind == "tuple_type":
        message = "Input should be a list"  # YAML has lists; tuples are pydantic's word
    if kind not in ("value_error", "assertion_error"):
        message = f"{message} (got {_short(error.get('input'))})"
    return f"{where}: {message}" if where else message


def _follows_item_errors(error: Mapping[str, Any]) -> bool:
    """A 'too short' error that only counts the items that failed on their own."""
    value = error.get("input")
    minimum = error.get("ctx", {}).get("min_length")
    return (
        error["type"] == "too_short"
        and isinstance(value, list)
        and isinstance(minimum, int)
        and len(value) >= minimum
    )


def _constraint_of(loc: tuple[str | int, ...], data: Mapping[str, Any]) -> str:
    if len(loc) >= 2 and loc[0] == "constraints" and isinstance(loc[1], int):
        items = data.get("constraints")
        if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
            return str(items[loc[1]].get("kind", ""))
    return ""


def _did_you_mean(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _unknown_top_level(key: str) -> str:
    from charter.hooks.decisions.model import KNOWN_FOREIGN_KEYS, DecisionBase

    known = [*DecisionBase.model_fields, *sorted(KNOWN_FOREIGN_KEYS)]
    hint = _did_you_mean(key, known)
    return (
        f"unknown front matter key {key!r}{hint}; Charter ignores it: "
        f"decision keys are {', '.join(DecisionBase.model_fields)}"
    )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
