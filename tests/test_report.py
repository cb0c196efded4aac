"""The report formats (text, json, sarif, github) on hand-made findings."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from charter.hooks.findings import Finding
from charter.hooks.report import FORMATS, Report
from charter.hooks.report.github import escape_data, escape_property

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"

API = Finding(
    decision="ADR-0007",
    constraint="ADR-0007/1",
    kind="forbid-import",
    path="src/app/api/x.py",
    line=3,
    col=1,
    message="Route handlers must not touch the database directly.",
    key="app.db",
    remedy="Call a function in app.services instead.",
    source="docs/decisions/0007-api-layering.md",
)
# The decision's second constraint, on a chain through the same file; no remedy.
CHAIN = dataclasses.replace(
    API,
    constraint="ADR-0007/2",
    line=5,
    message="Route handlers must not reach the database, even indirectly.",
    remedy=None,
    chain=("app.api.x:5", "app.util:7", "app.db"),
)
WARNING = Finding(
    decision="ADR-0009",
    constraint="ADR-0009/1",
    kind="file-placement",
    path="notes/my file.py",
    line=0,
    col=0,
    message="Modules belong under src/.",
    key="notes/my file.py",
    severity="warning",
    source="docs/decisions/0009-layout.md",
)


def _report(*findings: Finding, **counts: Any) -> Report:
    return Report(findings=findings, root="/work/repo", tool_version="9.9.9", **counts)


# -- registry --------------------------------------------------------------------------


def test_registry_has_the_four_formats() -> None:
    assert sorted(FORMATS) == ["github", "json", "sarif", "text"]


def test_report_is_frozen() -> None:
    report = _report(API)
    with pytest.raises(AttributeError):
        report.waived = 3  # type: ignore[misc]


# -- text --------------------------------------------------------------------------------


def test_text_full_output() -> None:
    report = _report(
        WARNING, CHAIN, API, preexisting=2, notes=("skipped binary file assets/logo.png",)
    )
    assert FORMATS["text"](report) == (
        "notes/my file.py:0:0: warning: ADR-0009 [file-placement] Modules belong under src/.\n"
        "  decision: docs/decisions/0009-layout.md\n"
        "src/app/api/x.py:3:1: ADR-0007 [forbid-import]"
        " Route handlers must not touch the database directly.\n"
        "  remedy: Call a function in app.services instead.\n"
        "  decision: docs/decisions/0007-api-layering.md\n"
        "src/app/api/x.py:5:1: ADR-0007 [forbid-import]"
        " Route handlers must not reach the database, even indirectly.\n"
        "  chain: app.api.x:5 -> app.util:7 -> app.db\n"
        "  decision: docs/decisions/0007-api-layering.md\n"
        "charter: note: skipped binary file assets/logo.png\n"
        "charter: 2 pre-existing violation(s) not blocking (charter check --all lists them)\n"
    )


def test_text_is_silent_on_success() -> None:
    assert FORMATS["text"](_report()) == ""
    # Baselined and waived violations are not worth a line on their own.
    assert FORMATS["text"](_report(baselined=4, waived=1)) == ""


def test_text_preexisting_only() -> None:
    assert FORMATS["text"](_report(preexisting=1)) == (
        "charter: 1 pre-existing violation(s) not blocking (charter check --all lists them)\n"
    )


# -- json --------------------------------------------------------------------------------

VIOLATION_FIELDS = {
    "decision",
    "constraint",
    "kind",
    "severity",
    "path",
    "line",
    "col",
    "message",
    "remedy",
    "source",
    "chain",
    "key",
    "fingerprint",
}


def test_json_document() -> None:
    report = _report(CHAIN, WARNING, API, preexisting=2, baselined=3, waived=1, notes=("a note",))
    document = json.loads(FORMATS["json"](report))
    assert set(document) == {"schema", "version", "summary", "violations", "notes"}
    assert document["schema"] == "charter-check/1"
    assert document["version"] == "9.9.9"
    assert document["summary"] == {
        "violations": 3,
        "errors": 2,
        "warnings": 1,
        "preexisting": 2,
        "baselined": 3,
        "waived": 1,
    }
    assert document["notes"] == ["a note"]
    violations = document["violations"]
    assert all(set(v) == VIOLATION_FIELDS for v in violations)
    assert [(v["path"], v["line"]) for v in violations] == [
        ("notes/my file.py", 0),
        ("src/app/api/x.py", 3),
        ("src/app/api/x.py", 5),
    ]
    first_api = violations[1]
    assert first_api == {
        "decision": "ADR-0007",
        "constraint": "ADR-0007/1",
        "kind": "forbid-import",
        "severity": "error",
        "path": "src/app/api/x.py",
        "line": 3,
        "col": 1,
        "message": "Route handlers must not touch the database directly.",
        "remedy": "Call a function in app.services instead.",
        "source": "docs/decisions/0007-api-layering.md",
        "chain": [],
        "key": "app.db",
        "fingerprint": API.fingerprint,
    }
    assert violations[2]["chain"] == ["app.api.x:5", "app.util:7", "app.db"]
    assert violations[2]["remedy"] is None
    assert violations[0]["severity"] == "warning"


def test_json_is_deterministic_and_sorted() -> None:
    one = FORMATS["json"](_report(API, CHAIN, WARNING))
    other = FORMATS["json"](_report(WARNING, CHAIN, API))
    assert one == other
    assert one.endswith("}\n")
    document = json.loads(one)
    assert json.dumps(document, indent=2, sort_keys=True) + "\n" == one


def test_json_empty_report() -> None:
    document = json.loads(FORMATS["json"](_report()))
    assert document["violations"] == [] and document["notes"] == []
    assert document["summary"]["violations"] == 0


def test_json_contract_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "json-output.md").read_text("utf-8")
    for field in (*VIOLATION_FIELDS, "preexisting", "baselined", "waived", "warnings"):
        assert f"`{field}`" in doc, field
    assert "charter-check/1" in doc


# -- sarif -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    # The official OASIS schema (errata01), not a hand-written subset.
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _sarif(report: Report, validator: Any) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(FORMATS["sarif"](report))
    errors = sorted(validator.iter_errors(log), key=str)
    assert errors == [], "\n".join(str(e) for e in errors)
    return log


def test_sarif_validates_and_carries_everything(sarif_validator: Any) -> None:
    report = _report(API, CHAIN, WARNING, preexisting=2, notes=("skipped binary file x",))
    log = _sarif(report, sarif_validator)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "charter" and driver["version"] == "9.9.9"
    assert [rule["id"] for rule in driver["rules"]] == ["ADR-0007/1", "ADR-0007/2", "ADR-0009/1"]
    api_rule = driver["rules"][0]
    assert api_rule["name"] == "forbid-import"
    assert api_rule["shortDescription"]["text"] == API.message
    assert api_rule["help"]["text"] == API.remedy
    assert api_rule["properties"] == {"decision": "ADR-0007", "source": API.source}
    assert "help" not in driver["rules"][1]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///work/repo/"}}

    results = run["results"]
    assert len(results) == 3
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    warning, api, chain = results  # ordered by path, line, col
    assert api["level"] == "error" and warning["level"] == "warning"
    assert api["message"]["text"] == f"{API.message} — remedy: {API.remedy}"
    assert chain["message"]["text"] == CHAIN.message
    assert api["partialFingerprints"] == {"charter/v1": API.fingerprint}
    location = api["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/app/api/x.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3, "startColumn": 1}
    # A whole-file finding points at 1:1; the path is a valid URI reference.
    location = warning["locations"][0]["physicalLocation"]
    assert location["region"] == {"startLine": 1, "startColumn": 1}
    assert location["artifactLocation"]["uri"] == "notes/my%20file.py"
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == (
        "skipped binary file x"
    )


def test_sarif_empty_report_validates(sarif_validator: Any) -> None:
    log = _sarif(_report(), sarif_validator)
    assert log["runs"][0]["results"] == []


def test_sarif_schema_rejects_a_broken_log(sarif_validator: Any) -> None:
    """The vendored schema really is enforced (not a permissive stand-in)."""
    log = json.loads(FORMATS["sarif"](_report(API)))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert list(sarif_validator.iter_errors(log))


def test_sarif_root_uri_forms(sarif_validator: Any) -> None:
    for root, uri in (
        ("/work/repo/", "file:///work/repo/"),
        ("C:/src/x y", "file:///C:/src/x%20y/"),
    ):
        report = Report(findings=(API,), root=root)
        log = _sarif(report, sarif_validator)
        assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == uri


# -- github ------------------------------------------------------------------------------


def test_github_commands() -> None:
    report = _report(API, WARNING, CHAIN, preexisting=1, notes=("skipped x",))
    assert FORMATS["github"](report).splitlines() == [
        "::warning file=notes/my file.py,title=ADR-0009 [file-placement]::"
        "Modules belong under src/.",
        "::error file=src/app/api/x.py,line=3,col=1,title=ADR-0007 [forbid-import]::"
        "Route handlers must not touch the database directly."
        " — remedy: Call a function in app.services instead.",
        "::error file=src/app/api/x.py,line=5,col=1,title=ADR-0007 [forbid-import]::"
        "Route handlers must not reach the database, even indirectly."
        "%0Achain: app.api.x:5 -> app.util:7 -> app.db",
        "::notice::charter: note: skipped x",
        "::notice::charter: 1 pre-existing violation(s) not blocking"
        " (charter check --all lists them)",
    ]
    assert FORMATS["github"](_report()) == ""


def test_github_escaping() -> None:
    finding = Finding(
        decision="ADR-0001",
        constraint="ADR-0001/1",
        kind="banned-api",
        path="src/a,b:c.py",
        line=2,
        col=4,
        message="100% wrong: a, b\nnext\r\nline",
        key="k",
        remedy="fix it: now",
    )
    (line,) = FORMATS["github"](_report(finding)).splitlines()
    assert line == (
        "::error file=src/a%2Cb%3Ac.py,line=2,col=4,title=ADR-0001 [banned-api]::"
        "100%25 wrong: a, b%0Anext%0D%0Aline — remedy: fix it: now"
    )
    assert escape_data("%,:\n\r") == "%25,:%0A%0D"
    assert escape_property("%,:\n\r") == "%25%2C%3A%0A%0D"
    # '%' is escaped first, so an existing escape sequence is not decoded by GitHub.
    assert escape_data("%0A") == "%250A"
