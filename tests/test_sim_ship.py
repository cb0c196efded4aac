"""A scenario shipped to a worker: packed, unpacked by digest, checked."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from charter.hooks.errors import CharterError
from charter.simulator import ship

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "library-policy"


def test_a_scenario_arrives_whole_and_is_unpacked_once(tmp_path: Path) -> None:
    digest = ship.digest(SCENARIO)
    payload = ship.pack(SCENARIO)
    assert ship.pack(SCENARIO) == payload  # the same bytes for the same content
    folder = ship.unpack(payload, digest, tmp_path)
    assert folder == tmp_path / digest
    assert ship.digest(folder) == digest
    assert (folder / "scenario.yaml").read_bytes() == (SCENARIO / "scenario.yaml").read_bytes()
    (folder / "marker").write_text("kept")
    assert ship.unpack(payload, digest, tmp_path) == folder  # reused, not unpacked again
    assert (folder / "marker").exists()


def _archive(name: str, data: bytes) -> bytes:
    """A tar archive of one file ``name`` holding ``data``."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_an_archive_that_does_not_match_its_digest_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CharterError, match="expected 0123"):
        ship.unpack(_archive("scenario.yaml", b"evil"), "0123", tmp_path)
    assert not (tmp_path / "0123").exists()
    assert not list(tmp_path.iterdir())  # nothing half-unpacked left behind


def test_an_archive_escaping_its_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CharterError, match="refused"):
        ship.unpack(_archive("../outside.txt", b"x"), "abcd", tmp_path / "cache")
    assert not (tmp_path / "outside.txt").exists()
