"""The repository the hook tests share: a package ``app`` whose API must not touch its
database.

ADR-0001 forbids ``app.api`` importing ``app.db``, with a message and a remedy.
``write_app`` writes the packages ``app``, ``app.api``, ``app.services`` and ``app.db``
(with ``app/db/models.py``), the decision and the files a test names; whether to commit
them is the test's choice.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from support.repo import decision, write_decision, write_file

FORBID = decision(
    "ADR-0001",
    title="The API reaches storage only through services",
    extra="""
    constraints:
      - kind: forbid-import
        from: app.api
        to: app.db
        message: Handlers must not touch the database.
        remedy: Call a service from app.services instead.
    """,
)
# The api reaches the db through the services: ADR-0001 holds.
LAYERED = {
    "app/services/billing.py": "from app.db import models\n",
    "app/api/views.py": "from app.services import billing\n",
}


def write_app(repo: Path, files: Mapping[str, str]) -> Path:
    """The packages, ``app/db/models.py``, ADR-0001 and ``files``, written into ``repo``."""
    for package in ("app", "app/api", "app/services", "app/db"):
        write_file(repo, f"{package}/__init__.py")
    write_file(repo, "app/db/models.py", "TABLE = 'invoices'\n")
    for rel, text in files.items():
        write_file(repo, rel, text)
    write_decision(repo, "0001-api-db.md", FORBID)
    return repo
