"""Command-line flags shared by the commands that read the configuration."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from charter.hooks.report import Report
    from charter.hooks.settings import Settings, Value
    from charter.hooks.source.snapshot import Snapshot


def add_config_flags(parser: argparse.ArgumentParser) -> None:
    """Flags that override the configuration files (see ``charter config``)."""
    group = parser.add_argument_group("configuration (overrides pyproject.toml/.charter.toml)")
    group.add_argument("--root", type=Path, help="repository root (default: nearest .git)")
    group.add_argument("--decisions", metavar="DIR", help="folder of decision records")
    group.add_argument(
        "--source-root",
        dest="source_roots",
        action="append",
        metavar="DIR",
        help="folder whose children are top-level packages (repeatable)",
    )
    group.add_argument(
        "--exclude", action="append", metavar="GLOB", help="files never read (repeatable)"
    )


def settings_from(
    args: argparse.Namespace, snapshot: Callable[[Path], Snapshot | None] | None = None
) -> Settings:
    """The effective settings for these arguments, read from ``snapshot(root)`` (the
    snapshot under judgement: the index, a commit) or else from the working tree."""
    return settings_loader(args, snapshot)(None)


def settings_loader(
    args: argparse.Namespace, snapshot: Callable[[Path], Snapshot | None] | None = None
) -> Callable[[Snapshot | None], Settings]:
    """The settings these arguments give for a snapshot (each commit of a range has its
    own files); for None, those of ``snapshot(root)``, or else of the working tree."""
    from charter.hooks import settings

    overrides = _overrides(args)
    root = root_of(args)
    default = snapshot(root) if snapshot is not None else None

    def load(at: Snapshot | None) -> Settings:
        return settings.load(root, overrides, snapshot=at or default)[0]

    return load


def root_of(args: argparse.Namespace) -> Path:
    """The repository these arguments name (``--root``, else the nearest ``.git``)."""
    from charter.hooks.source import git  # not settings: the work tree's listing starts first

    return git.find_root() if args.root is None else Path(args.root).resolve()


def settings_with_origins(args: argparse.Namespace) -> tuple[Settings, dict[str, Value]]:
    """The effective settings and where each value came from (``charter config``)."""
    from charter.hooks import settings

    return settings.load(args.root, _overrides(args))


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    keys = ("decisions", "source_roots", "exclude", "baseline", "cache_dir", "format")
    return {key: getattr(args, key, None) for key in keys}


def write_report(report: Report, format_name: str) -> None:
    """Print a report in the chosen format (nothing when the format has nothing to say)."""
    from charter.hooks.report import FORMATS

    output = FORMATS[format_name](report)
    if output:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")


def add_resident_flag(parser: argparse.ArgumentParser, docs: str) -> None:
    """``--resident``: the hook runs on the warm server (``hooks/resident.py``; the
    ``charter`` process hands the call over before this parser is built)."""
    parser.add_argument(
        "--resident",
        action="store_true",
        help=f"run on a warm server that the first call starts (Linux; {docs})",
    )
