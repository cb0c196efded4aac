"""Command-line flags shared by the commands that read the configuration."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from charter.hooks.decisions.catalog import Catalog
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


def settings_from(args: argparse.Namespace) -> tuple[Settings, dict[str, Value]]:
    """The effective settings for these arguments."""
    from charter.hooks import settings

    overrides = {
        key: getattr(args, key, None)
        for key in ("decisions", "source_roots", "exclude", "baseline", "cache_dir", "format")
    }
    return settings.load(args.root, overrides)


def load_catalog(settings: Settings) -> Catalog:
    """The decisions in force; any error in them stops the command (exit 2)."""
    from charter.hooks.decisions import catalog, load
    from charter.hooks.diagnostics import sort_key
    from charter.hooks.errors import CharterError

    loaded = load.load_folder(settings.root, settings.decisions)
    decisions, problems = catalog.build(loaded.files, loaded.headers)
    errors = sorted(
        (p for p in [*loaded.problems, *problems] if p.severity == "error"), key=sort_key
    )
    if errors:
        listing = "\n".join(problem.format() for problem in errors)
        raise CharterError(
            f"the decision records have errors; fix them first (charter validate):\n{listing}"
        )
    return decisions
