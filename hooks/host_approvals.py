"""The commits a code host approved, as CI hands them to Charter.

A reviewed pull request's commits are passed in ``CHARTER_APPROVED_COMMITS`` (space or
comma separated) or as ``charter check --approved SHA``; governance counts them as
verified approvals (``governance/approvals.py``). A leaf: ``charter check`` reads it on
every run without importing governance.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

HOST_VARIABLE = "CHARTER_APPROVED_COMMITS"


def host_approved(environ: Mapping[str, str], flags: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Commits the code host approved: the variable's, then the flags'."""
    listed = re.split(r"[\s,]+", environ.get(HOST_VARIABLE, ""))
    return tuple(item for item in (*listed, *flags) if item)
