"""Guards from fix commits: what a commit took out of the code, proposed as the rule that
would have kept it out.

- an import a surviving module stops making: ``forbid-import`` (from the whole package
  when no module imports the target any more; from that module otherwise);
- a qualified name used in two or more files that vanishes from the tree while one new
  name appears in each of them: ``banned-api`` with that ``replacement``;
- files moved out of a folder that is left without files of their type:
  ``file-placement`` denying the folder;
- a revert (``This reverts commit X``) of a change to files that existed before it:
  ``protected`` on those files.

Each proposal is adopted at the fix commit: the point it could first have been written.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from charter.hooks.adopt.infer import Proposal
from charter.hooks.kinds.banned_api import KIND as BANNED_API
from charter.hooks.kinds.file_placement import KIND as FILE_PLACEMENT
from charter.hooks.kinds.forbid_import import KIND as FORBID_IMPORT
from charter.hooks.kinds.protected import KIND as PROTECTED
from charter.simulator.learn.history import State
from charter.simulator.learn.records import Learned, Point

REVERT = re.compile(r"This reverts commit ([0-9a-f]{7,40})")
TAGS = ("learned",)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def learn_from_fix(root: Path, before: State, after: State, message: str) -> list[Learned]:
    """Every guard the change from ``before`` to ``after`` suggests."""
    found = [
        *removed_imports(before, after),
        *replaced_names(before, after),
        *moved_out(root, before.point, after),
        *reverted(root, after.point, message),
    ]
    return [Learned(p, "fix-commit", after.point) for p in found]


def removed_imports(before: State, after: State) -> list[Proposal]:
    proposals: dict[tuple[str, str], Proposal] = {}
    for module in sorted(set(before.paths) & set(after.paths)):
        for target in sorted(before.imports[module] - after.imports.get(module, frozenset())):
            first_party = target in before.paths or target.split(".")[0] in _tops(before)
            if first_party and target not in after.paths:
                continue  # the module itself went away: nothing left to guard
            if after.importers_of(target) or first_party:
                if after.paths[module].endswith("__init__.py"):
                    continue  # a package's rule would cover all of its modules
                source = module
            else:
                source = module.split(".")[0]
            cite = f"{after.point.cite()} removed `import {target}` from `{module}`"
            old = proposals.get((source, target))
            evidence = (*old.evidence, cite) if old else (cite,)
            proposals[(source, target)] = _forbid(source, target, evidence)
    return list(proposals.values())


def _tops(state: State) -> set[str]:
    return {m.split(".")[0] for m in state.paths}


def _forbid(source: str, target: str, evidence: tuple[str, ...]) -> Proposal:
    return Proposal(
        slug=f"{slug(source)}-does-not-import-{slug(target)}",
        title=f"{source} does not import {target}",
        kind=FORBID_IMPORT.name,
        fields=(
            ("from", source),
            ("to", [target]),
            ("message", f"{source} stopped importing {target} in a fix; keep it out."),
            ("remedy", f"Do without {target}, as the fix named in the Evidence did."),
        ),
        evidence=evidence,
        tags=(*TAGS, "imports"),
    )


def replaced_names(before: State, after: State) -> list[Proposal]:
    used_after = set().union(*after.uses.values()) if after.uses else set()
    gone_in: dict[str, list[str]] = {}
    for path in sorted(set(before.uses) & set(after.uses)):
        for name in before.uses[path] - after.uses[path]:
            if name not in used_after and "." in name:
                gone_in.setdefault(name, []).append(path)
    proposals = []
    for name, paths in sorted(gone_in.items()):
        if len(paths) < 2:
            continue
        new = Counter(n for p in paths for n in after.uses[p] - before.uses[p])
        common = sorted(n for n, count in new.items() if count == len(paths))
        same_tail = [n for n in common if n.rsplit(".", 1)[-1] == name.rsplit(".", 1)[-1]]
        pick = same_tail or common
        if len(pick) != 1:
            continue
        cite = f"{after.point.cite()} replaced `{name}` by `{pick[0]}` in {', '.join(paths)}"
        proposals.append(_banned(name, pick[0], cite))
    return proposals


def _banned(name: str, replacement: str, cite: str) -> Proposal:
    return Proposal(
        slug=f"use-{slug(replacement)}-not-{slug(name)}",
        title=f"Use {replacement}, not {name}",
        kind=BANNED_API.name,
        fields=(
            ("names", [name]),
            ("replacement", replacement),
            ("message", f"{name} was replaced by {replacement} across the code."),
            ("remedy", f"Call {replacement} instead."),
        ),
        evidence=(cite,),
        tags=(*TAGS, "api"),
    )


def moved_out(root: Path, parent: Point, after: State) -> list[Proposal]:
    from charter.hooks.source import git

    raw = git.run(root, "diff", "--name-status", "-M", "-z", parent.sha, after.point.sha, "--")
    fields = raw.decode("utf-8", "replace").split("\0")
    moved: dict[tuple[str, str], list[str]] = {}
    index = 0
    while index < len(fields) - 1:
        status = fields[index]
        if status.startswith("R") and index + 2 < len(fields):
            old, new = fields[index + 1], fields[index + 2]
            folder, ext = str(Path(old).parent), Path(old).suffix
            if folder not in (".", str(Path(new).parent)) and ext:
                moved.setdefault((folder, ext), []).append(f"{old} -> {new}")
            index += 3
        else:
            index += 2
    proposals = []
    for (folder, ext), pairs in sorted(moved.items()):
        pattern = f"{folder}/*{ext}"
        if any(f.startswith(f"{folder}/") and f.endswith(ext) for f in after.files):
            continue  # the folder still holds such files: the move was no clean-up
        cite = f"{after.point.cite()} moved {len(pairs)} file(s) out: {'; '.join(pairs[:3])}"
        proposals.append(
            Proposal(
                slug=f"no-{slug(ext)}-files-in-{slug(folder)}",
                title=f"No {ext} files in {folder}/",
                kind=FILE_PLACEMENT.name,
                fields=(
                    ("deny", [pattern]),
                    ("message", f"{folder}/ was emptied of {ext} files in a clean-up."),
                    ("remedy", "Put the file where the clean-up moved the others."),
                ),
                evidence=(cite,),
                tags=(*TAGS, "layout"),
            )
        )
    return proposals


def reverted(root: Path, commit: Point, message: str) -> list[Proposal]:
    from charter.hooks.source import git

    match = REVERT.search(message)
    if match is None:
        return []
    undone = match.group(1)
    raw = git.run(root, "diff", "--name-status", "--no-renames", "-z", f"{undone}^", undone, "--")
    fields = raw.decode("utf-8", "replace").split("\0")
    stable = sorted(fields[i + 1] for i in range(0, len(fields) - 1, 2) if fields[i] == "M")
    if not stable:
        return []
    cite = f"{commit.cite()} reverted {undone[:10]}, a change to {', '.join(stable[:5])}"
    return [
        Proposal(
            slug=f"keep-{slug(stable[0])}-stable",
            title=f"Keep {', '.join(stable[:3])} stable",
            kind=PROTECTED.name,
            fields=(
                ("paths", stable),
                ("message", "A change to these files was reverted: they are stable."),
                ("remedy", "Leave them as they are, or ask for an approved change."),
            ),
            evidence=(cite,),
            tags=(*TAGS, "stability"),
        )
    ]
