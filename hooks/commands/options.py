"""Command-line flags shared by the commands that read the configuration."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from charter.hooks.report import Report
    from charter.hooks.settings import Settings, Value


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


def settings_from(args: argparse.Namespace) -> Settings:
    """The effective settings for these arguments."""
    return settings_with_origins(args)[0]


def settings_with_origins(args: argparse.Namespace) -> tuple[Settings, dict[str, Value]]:
    """The effective settings and where each value came from (``charter config``)."""
    from charter.hooks import settings

    overrides = {
        key: getattr(args, key, None)
        for key in ("decisions", "source_roots", "exclude", "baseline", "cache_dir", "format")
    }
    return settings.load(args.root, overrides)


def write_report(report: Report, format_name: str) -> None:
    """Print a report in the chosen format (nothing when the format has nothing to say)."""
    from charter.hooks.report import FORMATS

    output = FORMATS[format_name](report)
    if output:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
