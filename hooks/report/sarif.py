"""The SARIF 2.1.0 format, for GitHub code scanning and other SARIF viewers.

One run; one rule per constraint (``ruleId`` is the constraint id, e.g. ADR-0007/1);
one result per finding, located relative to ``%SRCROOT%`` (the repository root) and
carrying the finding's fingerprint as ``partialFingerprints["charter/v1"]``, so code
scanning tracks a violation across commits without line numbers. Notes become tool
execution notifications; the pre-existing, baselined and waived counts are run
properties.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from charter.hooks.findings import Finding
    from charter.hooks.report import Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "charter/v1"


def render(report: Report) -> str:
    findings = report.ordered()
    rules: dict[str, dict[str, Any]] = {}
    for finding in sorted(findings, key=lambda f: f.constraint):
        rules.setdefault(finding.constraint, _rule(finding))
    index = {constraint: i for i, constraint in enumerate(rules)}

    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "charter",
                "version": report.tool_version,
                "rules": list(rules.values()),
            }
        },
        "results": [_result(f, index[f.constraint]) for f in findings],
        "properties": {
            "preexisting": report.preexisting,
            "baselined": report.baselined,
            "waived": report.waived,
        },
    }
    if report.root:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": _root_uri(report.root)}}
    if report.notes:
        run["invocations"] = [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "note", "message": {"text": note}} for note in report.notes
                ],
            }
        ]
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, sort_keys=True) + "\n"


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": finding.constraint,
        "name": finding.kind,
        "shortDescription": {"text": finding.message},
        "defaultConfiguration": {"level": finding.severity},
        "properties": {"decision": finding.decision, "source": finding.source},
    }
    if finding.remedy:
        rule["help"] = {"text": finding.remedy}
    return rule


def _result(finding: Finding, rule_index: int) -> dict[str, Any]:
    text = finding.message
    if finding.remedy:
        text += f" — remedy: {finding.remedy}"
    result: dict[str, Any] = {
        "ruleId": finding.constraint,
        "ruleIndex": rule_index,
        "level": finding.severity,
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(finding.path), "uriBaseId": SRCROOT},
                    "region": {
                        "startLine": max(finding.line, 1),
                        "startColumn": max(finding.col, 1),
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT: finding.fingerprint},
        "properties": {"decision": finding.decision, "key": finding.key},
    }
    if finding.chain:
        result["properties"]["chain"] = list(finding.chain)
    return result


def _root_uri(root: str) -> str:
    """``file:///abs/root/`` for an absolute POSIX root (``C:/x`` becomes ``file:///C:/x/``)."""
    path = root if root.startswith("/") else f"/{root}"
    if not path.endswith("/"):
        path += "/"
    return f"file://{quote(path, safe='/:')}"
