"""The project the agent-file tests share: an API that must not touch the database.

``app.api`` and ``app.db`` as packages, ADR-0001 (``forbid-import`` with a remedy) and
ADR-0002 (a rule of prose scoped to ``app/api/**``), and the markers of the block
``charter agents-md`` manages.
"""

from __future__ import annotations

from pathlib import Path

from support.repo import decision, write_decision, write_file

BEGIN, END = "<!-- charter:begin -->", "<!-- charter:end -->"

API_NEVER_TOUCHES_DB = decision(
    "ADR-0001",
    title="The API never touches the database",
    extra="""
    constraints:
      - kind: forbid-import
        from: app.api
        to: app.db
        remedy: Call a service.
    """,
)


def write_api_project(repo: Path) -> Path:
    """The packages and the two decisions, written into ``repo``."""
    for package in ("app", "app/api", "app/db"):
        write_file(repo, f"{package}/__init__.py")
    write_decision(repo, "0001-api-db.md", API_NEVER_TOUCHES_DB)
    write_decision(
        repo,
        "0002-api-style.md",
        decision("ADR-0002", title="Handlers are thin", extra='scope: ["app/api/**"]'),
    )
    return repo
