"""Claude Code's PreToolUse hook: judge an Edit, Write, MultiEdit or Bash before it runs.

A ``Bash`` command that would get around the commit checks (``--no-verify``, another
``core.hooksPath``, ...) is refused with the reason (``shell_guard``). An edit is
judged with every kind: the snapshot kinds, ``protected`` (an edit of a protected file
is refused), ``co-change`` (said, not refused: the other file may come next) and
governance integrity (an edit that weakens a decision, the hooks or the approvers).

The payload (JSON on stdin) names the tool and its input::

    {"tool_name": "Edit", "cwd": "...", "tool_input": {"file_path": "/abs/path.py",
     "old_string": "...", "new_string": "...", "replace_all": false}}

``Write`` carries ``content``; ``MultiEdit`` carries ``edits``, a list of Edit inputs
applied in order. The edit is applied to the file's text in memory the way Claude Code
applies it (``old_string`` must occur, exactly once unless ``replace_all``); the tree
with the edit is checked against the tree without it, and only the violations the
edit introduces block. Syntax errors do not block (an agent may write a file in
several steps); the commit hook still sees them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from charter.hooks.errors import CharterError
from charter.hooks.findings import Finding
from charter.hooks.source import git

TOOLS = ("Edit", "Write", "MultiEdit")
SHELL = "Bash"


def _replace(text: str, edit: Any) -> str | None:
    """``text`` with one Edit applied, or None when the edit does not apply."""
    if not isinstance(edit, dict):
        return None
    old, new = edit.get("old_string"), edit.get("new_string")
    if not isinstance(old, str) or not isinstance(new, str):
        return None
    if old == "":
        return new if text == "" else None  # Claude Code creates a file this way
    count = text.count(old)
    if count == 0 or (count > 1 and not edit.get("replace_all")):
        return None
    return text.replace(old, new) if edit.get("replace_all") else text.replace(old, new, 1)


def new_text(tool: str, tool_input: dict[str, Any], before: str | None) -> str | None:
    """The file's text after the tool runs, or None when the edit does not apply."""
    if tool == "Write":
        content = tool_input.get("content")
        return content if isinstance(content, str) else None
    text = before if before is not None else ""
    edits = tool_input.get("edits") if tool == "MultiEdit" else [tool_input]
    if not isinstance(edits, list):
        return None
    for edit in edits:
        result = _replace(text, edit)
        if result is None:
            return None
        text = result
    return text


def judge(payload: str) -> str | None:
    """The message that blocks the edit, or None when it may go ahead."""
    try:
        data = json.loads(payload)
    except (ValueError, RecursionError) as exc:
        raise CharterError(
            f"the hook input is not JSON ({exc}); is this a Claude Code hook?"
        ) from None
    if isinstance(data, dict) and data.get("tool_name") == SHELL:
        return _shell(data)
    if not isinstance(data, dict) or data.get("tool_name") not in TOOLS:
        return None
    tool_input = data.get("tool_input")
    if not isinstance(tool_input, dict) or not isinstance(tool_input.get("file_path"), str):
        return None
    cwd = Path(data["cwd"]) if isinstance(data.get("cwd"), str) else Path.cwd()
    file = Path(tool_input["file_path"])
    file = (file if file.is_absolute() else cwd / file).resolve()
    root = git.repository(file.parent)
    if root is None:
        return None
    rel = file.relative_to(root).as_posix()
    if rel.startswith(".git/"):
        return None
    try:
        before = file.read_bytes().decode("utf-8") if file.is_file() else None
    except UnicodeDecodeError:
        return None
    after = new_text(str(data["tool_name"]), tool_input, before)
    if after is None or after == before:
        return None
    from charter.hooks.source.snapshot import WorkTree

    # Listing the tree is the longest wait of a warm run: git starts it now and walks the
    # folders while Charter loads its settings and imports the checks.
    tree = WorkTree(root)
    from charter.hooks import settings as settings_module

    settings, _ = settings_module.load(root)
    if not (root / settings.decisions).is_dir():
        tree.close()
        return None  # a repository without decisions: nothing to enforce
    from charter.hooks.agents.change import introduced

    report = introduced(settings, {rel: after.encode("utf-8")}, tree)
    blocking = [f for f in report.ordered() if f.severity == "error" and f.kind != "syntax-error"]
    if not blocking:
        return None
    return message(blocking, rel, str(data["tool_name"]))


def _shell(data: dict[str, Any]) -> str | None:
    """Why a Bash command may not run: it would get around the commit checks."""
    from charter.hooks import settings as settings_module
    from charter.hooks.agents.shell_guard import refusal

    tool_input = data.get("tool_input")
    command = tool_input.get("command") if isinstance(tool_input, dict) else None
    if not isinstance(command, str):
        return None
    cwd = Path(data["cwd"]) if isinstance(data.get("cwd"), str) else Path.cwd()
    root = git.repository(cwd.resolve())
    decisions = settings_module.load(root)[0].decisions if root else "docs/decisions"
    return refusal(command, decisions)


SHOWN = 5  # what an agent needs to repair one edit; the rest is counted


def message(findings: list[Finding], rel: str, tool: str) -> str:
    """What Claude reads: the edited file's violations first, each decision's remedy once."""
    count = len(findings)
    lines = [
        f"Charter blocked this {tool} of {rel}: it would introduce {count} "
        f"violation{'s' if count != 1 else ''} of the architecture decisions.",
    ]
    ordered = sorted(findings, key=lambda f: (f.path != rel, f.sort_key()))
    explained: set[str] = set()
    for f in ordered[:SHOWN]:
        lines.append(f"{f.path}:{f.line}:{f.col}: {f.decision} [{f.kind}] {f.message}")
        if f.chain:
            lines.append(f"  chain: {' -> '.join(f.chain)}")
        if f.constraint not in explained:
            explained.add(f.constraint)
            if f.remedy:
                lines.append(f"  remedy: {f.remedy}")
            if f.source:
                lines.append(f"  decision: {f.source}")
    if count > SHOWN:
        lines.append(f"…and {count - SHOWN} more (`charter check` lists them all).")
    lines.append("Change the edit so that it follows the decisions, then try again.")
    return "\n".join(lines)
