"""What a unified diff touches, and whether it stays inside the repository.

A scenario's patches come from recordings and from other people: before ``git apply``
sees one, every path it names (``diff --git``, ``---``/``+++``, renames and copies) must
be relative, free of ``..`` and outside ``.git/``, and a symlink it creates must point
inside the tree. ``git apply`` refuses most of these too; checking first turns them into
an error that names the scenario file instead of a divergence.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

_HEADER = re.compile(r"^(?:rename from|rename to|copy from|copy to) (.*)$")
_DIFF_GIT = re.compile(r'^diff --git ("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)\s*$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f"}


def _unquote(name: str) -> str:
    """Git's C-style quoted path (``"a/sp\\303\\251"``) to its text."""
    name = name.rstrip("\t\r")
    if not (len(name) >= 2 and name.startswith('"') and name.endswith('"')):
        return name
    body, out, i = name[1:-1], bytearray(), 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in "01234567" and re.match(r"[0-7]{3}", body[i + 1 : i + 4]):
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
            out.extend(_ESCAPES.get(nxt, nxt).encode())
            i += 2
            continue
        out.extend(char.encode())
        i += 1
    return out.decode("utf-8", "replace")


def _strip_prefix(name: str) -> str | None:
    name = _unquote(name)
    if name == "/dev/null":
        return None
    if name.startswith(("a/", "b/")):
        return name[2:]
    return name


def touched_paths(diff: str) -> Iterator[tuple[int, str]]:
    """(line number, path) for every path the diff names, prefixes removed."""
    for number, line in enumerate(diff.splitlines(), start=1):
        found: list[str | None] = []
        match = _DIFF_GIT.match(line)
        header = _HEADER.match(line)
        if match:
            found = [_strip_prefix(match.group(1)), _strip_prefix(match.group(2))]
        elif line.startswith(("--- ", "+++ ")):
            found = [_strip_prefix(line[4:].split("\t")[0])]
        elif header:
            found = [_unquote(header.group(1))]  # rename/copy paths have no a/ b/ prefix
        for path in found:
            if path is not None:
                yield number, path


def path_problem(path: str) -> str | None:
    """Why ``path`` (from a patch) may not be applied to the repository, or None."""
    if not path or "\0" in path:
        return "an empty path"
    if path.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", path) or path.startswith("\\"):
        return f"{path!r} is an absolute path"
    parts = path.replace("\\", "/").split("/")
    if ".." in parts:
        return f"{path!r} leaves the repository ('..')"
    if ".git" in (p.lower() for p in parts):
        return f"{path!r} writes into git's own folder (.git)"
    return None


def _created_links(diff: str) -> dict[str, tuple[int, str]]:
    """Every symlink the diff creates: path -> (line of its target, target)."""
    links: dict[str, tuple[int, str]] = {}
    current: str | None = None
    link = False
    for number, line in enumerate(diff.splitlines(), start=1):
        match = _DIFF_GIT.match(line)
        if match:
            current, link = _strip_prefix(match.group(2)), False
        elif line.startswith(("new file mode 120000", "new mode 120000")):
            link = True
        elif link and current and line.startswith("+") and not line.startswith("+++"):
            links[current] = (number, line[1:])
            link = False
    return links


MAX_LINK_HOPS = 40  # as the kernel's limit on following symlinks


def _resolve(path: str, links: dict[str, tuple[int, str]]) -> str | None:
    """Where ``path`` leads once every symlink of the diff on the way is followed, as
    the filesystem would (a link's target is read relative to the link's folder);
    None when it leaves the tree or loops."""
    pending = path.split("/")
    done: list[str] = []
    hops = 0
    while pending:
        part = pending.pop(0)
        if part in ("", "."):
            continue
        if part == "..":
            if not done:
                return None
            done.pop()
            continue
        here = "/".join([*done, part])
        if here in links:
            hops += 1
            target = links[here][1]
            if hops > MAX_LINK_HOPS or target.startswith("/"):
                return None
            pending = target.split("/") + pending  # relative to the link's folder
            continue
        done.append(part)
    return "/".join(done)


def symlink_problems(diff: str) -> Iterator[tuple[int, str]]:
    """Symlinks the diff creates whose target leaves the tree, alone or through a chain
    of the diff's other links (each followed as the filesystem would, not normalised
    on its own: ``a -> b/..`` where ``b`` is itself a link may climb out)."""
    links = _created_links(diff)
    for current, (number, target) in links.items():
        folder = posixpath.dirname(current)
        resolved = None if target.startswith("/") else _resolve(f"{folder}/{target}", links)
        if resolved is None:
            yield (
                number,
                (
                    f"symlink {current!r} points out of the repository ({target!r}), directly, "
                    "through the patch's other symlinks, or in a loop of them"
                ),
            )


def problems(diff: str) -> list[tuple[int, str]]:
    """Every reason this diff may not be applied, with its line; [] when it is safe."""
    found = [(n, p) for n, path in touched_paths(diff) if (p := path_problem(path)) is not None]
    found.extend(symlink_problems(diff))
    return sorted(set(found))


def files(diff: str) -> list[str]:
    """The repository paths the diff touches (sorted, unique)."""
    return sorted({path for _, path in touched_paths(diff) if path_problem(path) is None})
