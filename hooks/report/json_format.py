"""The JSON format (``charter-check/1``): a consumer contract, see docs/json-output.md.

Keys are sorted and findings ordered by path, line, column and constraint, so equal
reports render to equal bytes. A change that removes or retypes a field bumps the
schema name; new fields may be added within ``charter-check/1``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from charter.hooks.report import Report

SCHEMA = "charter-check/1"


def render(report: Report) -> str:
    findings = report.ordered()
    errors = sum(f.severity == "error" for f in findings)
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "version": report.tool_version,
        "summary": {
            "violations": len(findings),
            "errors": errors,
            "warnings": len(findings) - errors,
            "preexisting": report.preexisting,
            "baselined": report.baselined,
            "waived": report.waived,
        },
        "violations": [f.as_json() for f in findings],
        "notes": list(report.notes),
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"
