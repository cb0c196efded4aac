"""The MCP server (``charter mcp``): decisions and checks for any MCP client, over stdio.

Tools:

- ``decisions_for(paths, task, top)``: the decisions that apply, as ``charter context
  --format json`` returns them (``charter-context/1``);
- ``check_diff(diff)``: the violations a unified diff would introduce into the working
  tree, with remedies (``charter-check/1``, as ``charter check --format json``);
- ``check_files(files)``: the same for new contents given whole (path -> text).

Paths are relative to the repository root. Nothing is written to disk. This is the
only module of the engine that imports the MCP SDK (the ``mcp`` extra).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from charter.hooks import __version__
from charter.hooks.agents import patch, render
from charter.hooks.agents.change import introduced
from charter.hooks.agents.query import hits_for, repo_path
from charter.hooks.errors import CharterError
from charter.hooks.report import json_format
from charter.hooks.settings import Settings
from charter.hooks.source.snapshot import WorkTree

INSTRUCTIONS = (
    "Charter enforces this repository's architecture decisions at commit time. Before "
    "writing code, call decisions_for with the paths you will change and your task; "
    "before committing, call check_diff with your diff (or check_files) and follow the "
    "remedies of any violation."
)


def build(settings: Settings) -> MCPServer:
    server: MCPServer = MCPServer(
        name="charter", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING"
    )
    root = settings.root

    @server.tool()
    def decisions_for(
        paths: list[str] | None = None, task: str = "", top: int = 5
    ) -> dict[str, Any]:
        """The architecture decisions that apply to files (repository-relative paths or
        folders) and a task description, best first, each constraint as an instruction
        with its remedy. Call this before writing code."""
        try:
            wanted = list(dict.fromkeys(repo_path(root, p, root) for p in paths or ()))
            hits = hits_for(settings, wanted, task)
        except CharterError as exc:
            raise ToolError(str(exc)) from None
        return render.json_document(hits, wanted, task, max(1, top))

    @server.tool()
    def check_diff(diff: str) -> dict[str, Any]:
        """Check a unified diff (as `git diff` prints it, paths relative to the repository
        root) against the decisions in force, without applying it. Returns the violations
        the change would introduce, each with its remedy (JSON charter-check/1)."""
        try:
            changes = patch.apply(diff, WorkTree(root).read)
        except CharterError as exc:
            raise ToolError(str(exc)) from None
        return _report(changes)

    @server.tool()
    def check_files(files: dict[str, str]) -> dict[str, Any]:
        """Check new contents of files (repository-relative path -> full text) against
        the decisions in force, without writing them. Returns the violations they would
        introduce, each with its remedy (JSON charter-check/1)."""
        changes = {
            repo_path(root, path, root): text.encode("utf-8") for path, text in files.items()
        }
        return _report(changes)

    def _report(changes: Mapping[str, bytes | None]) -> dict[str, Any]:
        try:
            report = introduced(settings, changes)
        except CharterError as exc:  # e.g. a malformed decision record
            raise ToolError(str(exc)) from None
        document: dict[str, Any] = json.loads(json_format.render(report))
        return document

    return server


def serve(settings: Settings) -> None:
    """Serve over stdio until the client closes the connection."""
    build(settings).run("stdio")
