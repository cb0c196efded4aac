"""The configuration files' reading, kept beside their bytes (``source/parsed.py``).

A hook that finds ``pyproject.toml`` and ``.charter.toml`` with the bytes it read before
uses what it read then (no ``tomllib``); any other bytes are read again, and a file that
does not read cleanly is never kept, so its error is the same on every run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support.repo import PYPROJECT, Charter, make_repo, write_file

from charter.hooks import settings
from charter.hooks.errors import CharterError

KEPT = Path(".git", "charter")


def _config(charter: Charter, root: Path) -> dict[str, tuple[object, str]]:
    code, out, err = charter("config", "--root", root, "--json")
    assert (code, err) == (0, "")
    return {key: (entry["value"], entry["source"]) for key, entry in json.loads(out).items()}


def _error(charter: Charter, root: Path) -> str:
    code, out, err = charter("config", "--root", root)
    assert (code, out) == (2, "")
    return err


def test_a_second_run_gives_the_same_values_and_lines(tmp_path: Path, charter: Charter) -> None:
    pyproject = PYPROJECT + '\n[tool.charter]\ndecisions = "adr"\nexclude = ["vendor/**"]\n'
    root = make_repo(tmp_path / "repo", pyproject)
    write_file(root, ".charter.toml", '# team settings\n\nformat = "json"\n')
    first = _config(charter, root)
    assert list((root / KEPT).glob("settings-*.marshal"))  # kept for the next run
    assert _config(charter, root) == first
    assert first["decisions"] == ("adr", "pyproject.toml [tool.charter], line 6")
    assert first["format"] == ("json", ".charter.toml, line 3")


def test_changed_bytes_are_read_again(tmp_path: Path, charter: Charter) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, ".charter.toml", 'format = "json"\n')
    assert _config(charter, root)["format"] == ("json", ".charter.toml, line 1")
    write_file(root, ".charter.toml", '#\nformat = "sarif"\n')  # other bytes, the key a line lower
    assert _config(charter, root)["format"] == ("sarif", ".charter.toml, line 2")
    write_file(root, ".charter.toml", '#\nformat = "json"\n')  # the first bytes again but one value
    assert _config(charter, root)["format"] == ("json", ".charter.toml, line 2")


def test_an_error_is_the_same_on_every_run(tmp_path: Path, charter: Charter) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, ".charter.toml", 'format = "json"\n')
    _config(charter, root)  # a clean reading is kept...
    write_file(root, ".charter.toml", 'format = "json"\ndecisons = "adr"\n')
    first = _error(charter, root)  # ...and not used for other bytes
    assert ".charter.toml:2: unknown Charter setting 'decisons'" in first
    assert _error(charter, root) == first
    write_file(root, "pyproject.toml", PYPROJECT + "[tool.charter\n")
    invalid = _error(charter, root)
    assert "pyproject.toml: invalid TOML" in invalid
    assert _error(charter, root) == invalid


def test_a_kept_reading_never_outlives_the_settings_it_knew(
    tmp_path: Path, charter: Charter
) -> None:
    """A reading kept by a reader that knew other keys (another Charter) is not used."""
    import marshal

    root = make_repo(tmp_path / "repo")
    data = b'format = "json"\n'
    write_file(root, ".charter.toml", data.decode())
    assert not list((root / KEPT).glob("settings-*.marshal"))
    _config(charter, root)
    [store] = (root / KEPT).glob("settings-*.marshal")
    _reader, entries = marshal.loads(store.read_bytes())
    entries[".charter.toml"] = (data, ({"format": "html"}, [("format", "html", "forged")]))
    store.write_bytes(marshal.dumps(("another reader", entries)))
    assert _config(charter, root)["format"] == ("json", ".charter.toml, line 1")


def test_a_toml_date_is_read_every_time(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo", PYPROJECT + "\n[tool.other]\nwhen = 2026-12-02\n")
    for _ in range(2):
        _found, values = settings.load(root)
        assert values["decisions"].source == "default"
    assert not list((root / KEPT).glob("settings-*.marshal"))


def test_a_clean_rerun_does_not_import_tomllib(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, ".charter.toml", 'exclude = ["vendor/**"]\n')
    code = (
        "import sys\nfrom pathlib import Path\nfrom charter.hooks import settings\n"
        f"found, _ = settings.load(Path({str(root)!r}))\n"
        "print(found.exclude, 'tomllib' in sys.modules)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)]
    runs.append(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True))
    assert [r.stdout for r in runs] == ["('vendor/**',) True\n", "('vendor/**',) False\n"]


def test_settings_errors_are_still_raised_from_kept_values(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    write_file(root, ".charter.toml", "#\nmax_file_bytes = 'big'\n")
    for _ in range(2):
        try:
            settings.load(root)
        except CharterError as exc:
            assert str(exc).startswith(".charter.toml, line 2: max_file_bytes:")
        else:
            raise AssertionError("a wrong value must be an error")
