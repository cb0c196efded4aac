"""The distribution: hooks/ and simulator/ install as charter.hooks and charter.simulator."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _source_modules() -> set[str]:
    """``charter/hooks/cli.py`` and the like, for every module in the source tree."""
    return {
        f"charter/{path.relative_to(REPO).as_posix()}"
        for folder in ("hooks", "simulator")
        for path in (REPO / folder).rglob("*.py")
        if "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # pip builds a local folder in place (build/, *.egg-info): build from a copy, so two
    # xdist workers (or make typecheck's build/ folder) never share a build folder.
    source = tmp_path_factory.mktemp("source") / "charter"
    ignored = shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", ".demo", ".*_cache", "__pycache__"
    )
    shutil.copytree(REPO, source, ignore=ignored, symlinks=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "-w",
            str(out),
            str(source),
        ],
        check=True,
    )
    (built,) = out.glob("charter-*.whl")
    return built


def test_wheel_holds_charter_package_and_no_bare_top_level(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names}
    assert {t for t in top_level if not t.endswith(".dist-info")} == {"charter"}
    assert "hooks" not in top_level and "simulator" not in top_level
    assert _source_modules() <= set(names), "a package is missing from pyproject.toml"
    assert "charter/hooks/py.typed" in names


def test_wheel_declares_console_script(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    (entry_points,) = [n for n in archive.namelist() if n.endswith("entry_points.txt")]
    assert "charter = charter.hooks.launch:entry" in archive.read(entry_points).decode()


def _fresh_venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(path)
    return path / "bin" / "python"


def test_installed_wheel_imports_from_site_packages(wheel: Path, tmp_path: Path) -> None:
    python = _fresh_venv(tmp_path / "env")
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", wheel], check=True)
    code = "import charter.hooks.cli, charter.simulator; print(charter.hooks.__file__)"
    out = subprocess.run(
        [python, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert "site-packages/charter/hooks/__init__.py" in out
    bare = subprocess.run(
        [python, "-c", "import hooks"], cwd=tmp_path, capture_output=True, text=True
    )
    assert "No module named 'hooks'" in bare.stderr


def test_editable_install_imports_charter_hooks(tmp_path: Path) -> None:
    python = _fresh_venv(tmp_path / "env")
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "-e", REPO],
        check=True,
    )
    code = "import charter.hooks.cli, charter.simulator; print(charter.hooks.__file__)"
    out = subprocess.run(
        [python, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert Path(out.strip()) == REPO / "hooks" / "__init__.py"


def test_version_is_the_same_everywhere() -> None:
    from charter.hooks import __version__, tomlfile

    assert tomlfile.read(REPO / "pyproject.toml")["project"]["version"] == __version__
