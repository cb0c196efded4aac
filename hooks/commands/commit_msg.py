"""``charter commit-msg MSGFILE``: the commit-msg hook (``charter-commit-msg``).

Judges the staged change as a whole, with the message in view:

- the diff-level kinds ``protected`` and ``co-change`` of the staged decisions; a
  ``Charter-Waive: ADR-0012 -- reason`` trailer waives a decision's (or constraint's)
  violations for this commit;
- governance integrity (``charter.hooks.governance``): a change that weakens the rules
  blocks unless a ``Charter-Approved-By: name`` trailer approves it.

The decisions in force are the staged ones. A decisions folder git tracks no file of (one
given with ``--decisions`` that lives under ``.git/``, as ``charter sim`` keeps its
oracle, or one not added yet) is read from disk, as ``charter check`` reads it.

Comment lines (``core.commentChar``) and the ``git commit -v`` diff are stripped first;
an empty message is an aborted commit and passes. Both trailers stay in the history:
``charter waivers --history`` lists them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK, EXIT_VIOLATIONS, CharterError

if TYPE_CHECKING:
    from charter.hooks.decisions.active import ActiveConstraint
    from charter.hooks.settings import Settings
    from charter.hooks.source.snapshot import Index

HELP = "commit-msg hook: protected and co-change rules, waiver trailers, governance integrity"
WAIVE_HINT = (
    "to accept a protected or co-change violation in this commit, add the trailer "
    "'Charter-Waive: <decision id> -- <reason>' to the message"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)
    parser.add_argument("message_file", metavar="MSGFILE", help="the commit message file")
    parser.add_argument(
        "--format", choices=("text", "json", "sarif", "github"), help="output format"
    )


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    from charter.hooks import __version__, governance, journal, message
    from charter.hooks.findings import number_occurrences
    from charter.hooks.kinds import DIFF_CHECKS
    from charter.hooks.report import FORMATS, Report
    from charter.hooks.source.changes import changes
    from charter.hooks.source.snapshot import Commit, Index, head_exists

    settings, _ = settings_from(args)
    root = settings.root
    try:
        raw = Path(args.message_file).read_bytes().decode("utf-8", "replace")
    except OSError as exc:
        raise CharterError(
            f"{args.message_file}: cannot read the commit message: {exc.strerror}"
        ) from None
    parsed = message.parse(raw, _comment_char(root))
    if parsed.empty:
        return EXIT_OK  # git aborts a commit with an empty message

    base = Commit(root, "HEAD") if head_exists(root) else None
    current = Index(root)
    changed = changes(base, current)
    active = _in_force(current, settings)
    findings = number_occurrences(
        found
        for item in active
        if item.kind in DIFF_CHECKS
        for found in DIFF_CHECKS[item.kind](item, changed)
    )
    waived = set(message.waived_ids(parsed))
    kept = [f for f in findings if f.decision not in waived and f.constraint not in waived]
    notes = list(parsed.problems)
    used = {f.decision for f in findings} | {f.constraint for f in findings}
    notes.extend(f"'Charter-Waive: {i}' waives nothing in this commit" for i in waived - used)

    weakened = governance.weakenings(base, current, settings, changed)
    if weakened and parsed.approvals:
        notes.append(
            f"{len(weakened)} governance change(s) approved by {', '.join(parsed.approvals)}"
        )
    else:
        kept.extend(item.finding() for item in weakened)
    if any(f.kind in DIFF_CHECKS and f.severity == "error" for f in kept):
        notes.append(WAIVE_HINT)

    report = Report(
        findings=tuple(kept),
        waived=len(findings) - sum(f.kind in DIFF_CHECKS for f in kept),
        notes=tuple(notes),
        root=root.as_posix(),
        tool_version=__version__,
    )
    output = FORMATS[settings.format](report)
    if output:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
    blocking = [f for f in kept if f.severity == "error"]
    code = EXIT_VIOLATIONS if blocking else EXIT_OK
    if settings.journal:
        latency = (time.perf_counter() - started) * 1000
        warning = journal.try_record(root, "commit-msg", code, latency, blocking, parsed.text)
        if warning:
            print(f"charter: {warning}", file=sys.stderr)
    return code


def _in_force(current: Index, settings: Settings) -> list[ActiveConstraint]:
    """The staged decisions; from disk when git tracks no file of the folder."""
    from charter.hooks.decisions.compile import load_active, load_active_from

    prefix = settings.decisions.rstrip("/") + "/"
    tracked = any(rel.startswith(prefix) for rel in current.files())
    if tracked or not (settings.root / settings.decisions).is_dir():
        return load_active_from(current, settings.decisions)
    return load_active(settings)


def _comment_char(root: Path) -> str:
    """``core.commentChar`` (``auto`` and unset mean ``#``)."""
    import subprocess

    result = subprocess.run(
        ["git", "config", "--get", "core.commentChar"], cwd=root, capture_output=True, text=True
    )
    value = result.stdout.strip()
    return value if value and value != "auto" else "#"
