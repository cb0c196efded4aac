"""The import table (``source/table.py``): each module's key digests what the import
rules see of it, by value, and a table read back from the cache is the table written."""

from __future__ import annotations

from pathlib import Path

from charter.hooks.source import table
from charter.hooks.source.facts import FileFacts, Import
from charter.hooks.source.graph import ImportGraph


def _facts(module: str, names: tuple[str, ...] = ("models",), line: int = 3) -> FileFacts:
    return FileFacts((Import(module, names, line, 1, False), Import("os", (), 4, 1, True)))


def _key(module: str, path: str, facts: FileFacts, blob: str = "b1") -> str:
    return str(table._data(module, path, blob, facts)[4])


def test_a_key_depends_on_the_values_not_on_which_objects_hold_them() -> None:
    names = ("models",)
    shared = FileFacts((Import("app.db", names, 3, 1, False), Import("app.db", names, 4, 1, False)))
    copies = FileFacts(
        tuple(
            Import("".join(["app.", "db"]), tuple(["".join(["mod", "els"])]), line, 1, False)
            for line in (3, 4)
        )
    )
    assert copies.imports[0].names is not copies.imports[1].names
    same = _key("app.api", "app/api.py", shared)
    assert same == _key("app.api", "app/api.py", copies)
    assert same == _key("app.api", "app/api.py", shared, blob="b2")  # the content only
    base = _key("app.api", "app/api.py", _facts("app.db"))
    for other in (
        _key("app.api", "app/api.py", _facts("app.db", names=("views",))),
        _key("app.api", "app/api.py", _facts("app.db", line=5)),
        _key("app.api", "app/api2.py", _facts("app.db")),
        _key("app.web", "app/api.py", _facts("app.db")),
    ):
        assert other != base


def test_a_table_read_back_from_the_cache_is_the_table_written(tmp_path: Path) -> None:
    modules = {"app": "app/__init__.py", "app.api": "app/api.py", "app.db": "app/db.py"}
    blobs = {module: f"blob-{module}" for module in modules}
    facts = {"app/__init__.py": FileFacts(), "app/api.py": _facts("app"), "app/db.py": _facts("os")}
    begun = table.start(tmp_path, modules, blobs)
    written = table.finish(begun, table.made(begun, facts))
    table._SEEN.clear()  # read from the file, not from memory
    read = table.start(tmp_path, modules, blobs).table
    assert read is not None and read is not written
    assert read.digest == written.digest
    assert read.imports() == written.imports()
    assert (
        ImportGraph(modules, read.imports()).edges == ImportGraph(modules, written.imports()).edges
    )
    assert ImportGraph(modules, read.imports()).edges["app.api"][0].imported == "app"


def test_entries_made_elsewhere_are_taken_only_for_the_same_file_and_bytes() -> None:
    """A forked helper's entries (``SnapshotView.share``) are used only where they are
    of the module's file holding the blob this process read; the others are made here."""
    modules = {"app": "app/__init__.py", "app.api": "app/api.py", "app.db": "app/db.py"}
    blobs = {"app": "b0", "app.api": "b1", "app.db": ""}
    begun = table.start(None, modules, blobs)
    elsewhere = table.made(
        table.start(None, modules, {**blobs, "app.db": "b2"}),
        {
            "app/__init__.py": FileFacts(),
            "app/api.py": _facts("app"),
            "app/db.py": _facts("os"),
        },
    )
    assert table.made(begun, {"app/api.py": _facts("app")})["app.api"] == elsewhere["app.api"]
    assert begun.matching(elsewhere) == {m: elsewhere[m] for m in ("app", "app.api")}
    moved = {"app.api": ["app/other.py", *elsewhere["app.api"][1:]]}
    changed = {"app.api": [elsewhere["app.api"][0], "b9", *elsewhere["app.api"][2:]]}
    for other in (moved, changed, {"app.web": elsewhere["app.api"]}, {"app": [1, 2]}, None, []):
        assert begun.matching(other) == {}
