"""The files ``charter init`` writes: decision records, the pre-commit block.

A starter decision is named ``NNNN-<slug>.md``; a later run finds it by its slug
whatever its number, so running ``charter init`` again writes nothing new.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from charter.hooks.adopt.infer import Proposal

_NUMBER = re.compile(r"^(\d{4})-")
_STATUS = re.compile(r"^status:\s*proposed\s*$", re.MULTILINE)

# ``repo: local`` runs the ``charter`` the team installed: it works as written, with no
# release tag to look up (``rev: vX`` of an unpublished tag fails in pre-commit).
PRE_COMMIT_BLOCK = """\
  - repo: local
    hooks:
      - id: charter-validate
        name: charter validate
        entry: charter validate
        language: system
        pass_filenames: false
        files: ^(DECISIONS/.*\\.md|pyproject\\.toml|\\.charter\\.toml)$
      - id: charter-check
        name: charter check
        entry: charter check --staged
        language: system
        pass_filenames: false
        always_run: true
        require_serial: true
      - id: charter-commit-msg
        name: charter commit-msg
        entry: charter commit-msg
        language: system
        stages: [commit-msg]
        require_serial: true
"""


def pre_commit_block(decisions: str) -> str:
    return PRE_COMMIT_BLOCK.replace("DECISIONS", re.escape(decisions.strip("/")))


def existing(folder: Path, slug: str) -> Path | None:
    """The decision file ``init`` wrote for ``slug`` earlier, whatever its number."""
    found = sorted(folder.glob(f"[0-9][0-9][0-9][0-9]-{slug}.md")) if folder.is_dir() else []
    return found[0] if found else None


def next_number(folder: Path) -> int:
    numbers = [int(m.group(1)) for p in folder.glob("*.md") if (m := _NUMBER.match(p.name))]
    return max(numbers, default=0) + 1


def render(proposal: Proposal, number: int, status: str, today: datetime.date) -> str:
    """A MADR-style record: front matter with the constraint, prose with the evidence."""
    constraint: dict[str, object] = {"kind": proposal.kind}
    constraint.update(proposal.fields)
    front = {
        "id": f"ADR-{number:04d}",
        "title": proposal.title,
        "status": status,
        "date": today,
        "tags": list(proposal.tags),
        "constraints": [constraint],
    }
    text = yaml.safe_dump(front, sort_keys=False, default_flow_style=None, width=100)
    evidence = "\n".join(f"- {line}" for line in proposal.evidence)
    return (
        f"---\n{text}---\n# ADR-{number:04d}: {proposal.title}\n\n"
        "## Context\n\n"
        "Written by `charter init` from the import graph: this already holds, and a "
        "proposal asks whether it should keep holding. Review it, then accept it "
        "(`status: accepted`, or `charter init --accept`) or delete the file.\n\n"
        f"## Evidence\n\n{evidence}\n\n"
        "## Decision\n\nKeep it as it is: the constraint above makes a change that "
        "breaks it fail at commit time.\n"
    )


def accept(paths: Iterable[Path]) -> list[Path]:
    """Flip ``status: proposed`` to ``accepted`` in the given records; the ones changed."""
    changed = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        new = _STATUS.sub("status: accepted", text, count=1)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed
