"""``charter mcp``: an MCP server over stdio for Claude Code, Cursor, Codex and others.

Tools: ``decisions_for`` (what ``charter context --format json`` returns) and
``check_diff`` / ``check_files`` (the violations a proposed change would introduce, in
the ``charter-check/1`` format, with remedies). Needs the ``mcp`` extra:
``pip install 'charter[mcp]'``.
"""

from __future__ import annotations

import argparse

from charter.hooks.commands.options import add_config_flags, settings_from
from charter.hooks.errors import EXIT_OK, CharterError

HELP = "serve the decisions and checks to agents over MCP (stdio); needs charter[mcp]"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_flags(parser)


def run(args: argparse.Namespace) -> int:
    try:
        from charter.hooks.agents.mcp_server import serve
    except ImportError as exc:
        if not (exc.name or "").partition(".")[0] == "mcp":
            raise
        raise CharterError(
            "the MCP server needs the MCP SDK, which is not installed: "
            "run pip install 'charter[mcp]'"
        ) from None

    settings = settings_from(args)
    serve(settings)
    return EXIT_OK
