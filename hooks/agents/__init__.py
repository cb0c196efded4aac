"""Context for coding agents at generation time (SPEC §6).

Retrieval of the decisions that apply to paths and a task (``retrieve``), their
rendering as instructions (``render``), the managed block of AGENTS.md/CLAUDE.md
(``agents_md``), checking a proposed change before it is written (``change``), the MCP
server (``mcp_server``, needs the ``mcp`` extra) and the Claude Code hook
(``claude_hook``). Nothing here prints or exits: the commands do (CH-0004).
"""
