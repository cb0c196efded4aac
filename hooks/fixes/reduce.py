"""Give LibCST only the part of a file a fix touches.

LibCST's scope analysis (which resolves ``dt.datetime.now`` to ``datetime.datetime.now``)
and the import visitors each walk the whole module: ~5-10 s for a 2,000-line file on two
cores, for a fix of one line. The codemods only need the file's imports and the
top-level statements that hold a finding, so the module they see is reduced to those:

- every other top-level statement becomes one marker comment (LibCST keeps comments
  where they are), put back verbatim afterwards;
- a last line names every imported name the omitted statements mention, so that
  removing "unused" imports still sees the whole file's uses, and is dropped afterwards.

``restore`` returns None when the markers did not come back one for one; the caller then
fixes the whole file.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from charter.hooks.source.facts import walk

MARKER = "# charter-fix-omitted-{}"
KEEP = "__charter_fix_keep__ = ({})"
_MARKER = re.compile(r"# charter-fix-omitted-(\d+)\Z")


@dataclass(frozen=True)
class Reduced:
    text: str
    restore: Callable[[str], str | None]


def reduce(text: str, lines: Iterable[int], banned: Iterable[str] = ()) -> Reduced | None:
    """The reduced module for findings on ``lines``, or None (does not parse).

    With ``banned`` (the names the fix replaces), the last line names only what the
    imports of those names' packages bind: no other import can be removed as unused,
    and every name it lists is one more node for each of LibCST's passes.
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    wanted = set(lines)
    source = text.splitlines(keepends=True)
    groups = _groups(tree)
    kept_lines: list[str] = []
    omitted: dict[int, list[str]] = {}
    position = 0
    for index, (start, end, keep) in enumerate(groups):
        kept_lines.extend(source[position : start - 1])  # comments and blanks between
        chunk = source[start - 1 : end]
        if keep or any(start <= line <= end for line in wanted):
            kept_lines.extend(chunk)
        else:
            omitted[index] = chunk
            kept_lines.append(MARKER.format(index) + "\n")
        position = end
    kept_lines.extend(source[position:])
    tops = {name.partition(".")[0] for name in banned} or None
    names = _mentioned(
        _bound_names(tree, tops), "".join(c for chunk in omitted.values() for c in chunk)
    )
    if kept_lines and not kept_lines[-1].endswith("\n"):
        kept_lines[-1] += "\n"
    keep_line = KEEP.format("".join(f"{name}, " for name in names))
    reduced = "".join(kept_lines) + keep_line + "\n"
    newline_at_end = text.endswith("\n")

    def restore(after: str) -> str | None:
        restored = _restore(after, omitted, keep_line)
        if restored is not None and not newline_at_end and restored.endswith("\n"):
            restored = restored[:-1]
        return restored

    return Reduced(reduced, restore)


def _groups(tree: ast.Module) -> list[tuple[int, int, bool]]:
    """Top-level statements as line ranges (statements sharing a line grouped), and
    whether each must be kept: imports and the module docstring."""
    groups: list[tuple[int, int, bool]] = []
    for number, node in enumerate(tree.body):
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        end = node.end_lineno or node.lineno
        keep = isinstance(node, (ast.Import, ast.ImportFrom)) or (
            number == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        )
        if groups and start <= groups[-1][1]:
            first, _, kept = groups.pop()
            groups.append((first, max(end, start), kept or keep))
        else:
            groups.append((start, end, keep))
    return groups


def _bound_names(tree: ast.Module, tops: set[str] | None) -> set[str]:
    """Names the module's imports bind (anywhere in the file); with ``tops``, only those
    of absolute imports from these top-level packages (the only ones a fix may remove:
    ``fixes/banned_api.py`` schedules an import for removal when it names a banned name
    or a module above one)."""
    names: set[str] = set()
    for node in walk(tree):
        if isinstance(node, ast.Import):
            names.update(
                a.asname or a.name.partition(".")[0]
                for a in node.names
                if tops is None or a.name.partition(".")[0] in tops
            )
        elif isinstance(node, ast.ImportFrom):
            if tops is not None and (
                node.level or (node.module or "").partition(".")[0] not in tops
            ):
                continue
            names.update(a.asname or a.name for a in node.names if a.name != "*")
    return names


def _mentioned(names: set[str], text: str) -> list[str]:
    """The names that occur as words in ``text`` (a mention in a comment or a string
    keeps an import too: keeping one is always safe)."""
    words = set(re.findall(r"[^\W\d]\w*", text))
    return sorted(names & words)


def _restore(after: str, omitted: dict[int, list[str]], keep_line: str) -> str | None:
    lines = after.splitlines(keepends=True)
    if not lines or lines[-1].rstrip("\n") != keep_line:
        return None
    out: list[str] = []
    seen: set[int] = set()
    for line in lines[:-1]:
        match = _MARKER.match(line.rstrip("\n"))
        if match is None:
            out.append(line)
            continue
        index = int(match.group(1))
        if index in seen or index not in omitted:
            return None
        seen.add(index)
        out.extend(omitted[index])
    if seen != set(omitted):
        return None
    return "".join(out)
