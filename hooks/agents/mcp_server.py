"""The MCP server (``charter mcp``): decisions and checks for any MCP client, over stdio.

Tools:

- ``decisions_for(paths, task, top)``: the decisions that apply, as ``charter context
  --format json`` returns them (``charter-context/1``);
- ``check_diff(diff)``: the violations a unified diff would introduce into the working
  tree, with remedies (``charter-check/1``, as ``charter check --format json``);
- ``check_files(files)``: the same for new contents given whole (path -> text).

Paths are relative to the repository root; ``paths`` takes one path or a list. Nothing
is written to disk. Every failure comes back as a tool error whose text says what went
wrong and how to fix it (never a bare "Error executing tool"). This is the only module
of the engine that imports the MCP SDK (the ``mcp`` extra).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

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


Result = TypeVar("Result")


def tool_errors(function: Callable[..., Result]) -> Callable[..., Result]:
    """Any failure becomes a ``ToolError`` carrying its message, for the agent to read."""

    @functools.wraps(function)
    def wrapped(*args: Any, **kwargs: Any) -> Result:
        try:
            return function(*args, **kwargs)
        except ToolError:
            raise
        except CharterError as exc:
            raise ToolError(str(exc)) from None
        except Exception as exc:  # an internal error: say what it was, not "Error executing"
            raise ToolError(f"charter failed: {type(exc).__name__}: {exc}") from None

    return wrapped


def as_list(paths: list[str] | str | None) -> list[str]:
    """``paths`` as given by a client: one path, a list of paths, or nothing."""
    if paths is None:
        return []
    return [paths] if isinstance(paths, str) else list(paths)


def build(settings: Settings) -> MCPServer:
    server: MCPServer = MCPServer(
        name="charter", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING"
    )
    root = settings.root

    @server.tool()
    @tool_errors
    def decisions_for(
        paths: list[str] | str | None = None, task: str = "", top: int = 5
    ) -> dict[str, Any]:
        """The architecture decisions that apply to files (one repository-relative path
        or folder, or a list of them) and a task description, best first, each
        constraint as an instruction with its remedy. Call this before writing code."""
        wanted = list(dict.fromkeys(repo_path(root, p, root) for p in as_list(paths)))
        hits = hits_for(settings, wanted, task)
        return render.json_document(hits, wanted, task, max(1, top))

    @server.tool()
    @tool_errors
    def check_diff(diff: str) -> dict[str, Any]:
        """Check a unified diff (as `git diff` prints it, paths relative to the repository
        root) against the decisions in force, without applying it. Returns the violations
        the change would introduce, each with its remedy (JSON charter-check/1)."""
        return _report(patch.apply(diff, WorkTree(root).read))

    @server.tool()
    @tool_errors
    def check_files(files: dict[str, str]) -> dict[str, Any]:
        """Check new contents of files (repository-relative path -> full text) against
        the decisions in force, without writing them. Returns the violations they would
        introduce, each with its remedy (JSON charter-check/1)."""
        changes = {
            repo_path(root, path, root): text.encode("utf-8") for path, text in files.items()
        }
        return _report(changes)

    def _report(changes: Mapping[str, bytes | None]) -> dict[str, Any]:
        report = introduced(settings, changes)
        document: dict[str, Any] = json.loads(json_format.render(report))
        return document

    return server


def serve(settings: Settings) -> None:
    """Serve over stdio until the client closes the connection."""
    build(settings).run("stdio")
