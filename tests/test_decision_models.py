"""A decision is validated against the models of only the kinds it names.

Building every kind's pydantic model costs more than validating a repository's
decisions, so ``decision_model`` builds the union of the kinds a record names
(``kinds_named``). The verdict and every message must be those of the union of every
kind: these tests validate the shipped examples and records with errors both ways.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from charter.hooks.decisions import load, model
from charter.hooks.decisions.model import decision_model, kinds_named

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(
    path
    for folder in ("examples", "docs/decisions")
    for path in (ROOT / folder).rglob("*.md")
    if "decisions" in path.parts
)

BROKEN = {
    "an unknown key": "  - kind: layers\n    layers: [a, b]\n    colour: red\n",
    "a missing key": "  - kind: forbid-import\n    from: [a]\n",
    "a wrong type": "  - kind: banned-api\n    names: 7\n",
    "an unknown kind": "  - kind: layers\n    layers: [a, b]\n  - kind: layer\n",
    "no kind": "  - layers: [a, b]\n",
    "two kinds, one broken": (
        "  - kind: layers\n    layers: [a, b]\n  - kind: forbid-pattern\n    pattern: '('\n"
    ),
    "not a list": "  kind: layers\n",
    "an item that is not a mapping": "  - layers\n",
}


def _record(constraints: str) -> str:
    return f"---\nid: ADR-0001\ntitle: A rule\nstatus: accepted\nconstraints:\n{constraints}---\n"


def _both_ways(text: str, rel: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    """The outcome with the kinds named, and with every kind."""

    def outcome() -> object:
        parsed = load.parse_text(text, rel)
        decision = None if parsed.file is None else parsed.file.decision.model_dump()
        return decision, parsed.problems

    narrow = outcome()
    with monkeypatch.context() as patched:
        patched.setattr(model, "kinds_named", lambda data: None)
        return narrow, outcome()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_shipped_records_validate_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    narrow, every = _both_ways(path.read_text(encoding="utf-8"), path.name, monkeypatch)
    assert narrow == every


@pytest.mark.parametrize("what", sorted(BROKEN))
def test_a_broken_record_gets_the_same_errors(what: str, monkeypatch: pytest.MonkeyPatch) -> None:
    narrow, every = _both_ways(_record(BROKEN[what]), "0001-rule.md", monkeypatch)
    assert narrow == every
    assert narrow[0] is None and narrow[1]  # an error, reported


def test_the_model_holds_only_the_kinds_named() -> None:
    data = {"constraints": [{"kind": "layers"}, {"kind": "banned-api"}, {"kind": "layers"}]}
    assert kinds_named(data) == ("layers", "banned-api")  # the registry's order
    union = decision_model(kinds_named(data)).model_fields["constraints"].annotation
    assert "BannedApi" in repr(union) and "Layers" in repr(union)
    assert "ForbidImport" not in repr(union)
    assert kinds_named({"constraints": [{"kind": "no-such-kind"}]}) is None
    assert kinds_named({}) == ()
