"""The README stays true: every hook id and command it names exists."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from charter.hooks.cli import COMMANDS
from charter.hooks.decisions.model import KINDS

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_hook_id_in_readme_exists() -> None:
    manifest = {
        hook["id"] for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    }
    named = set(re.findall(r"\bcharter-[a-z][a-z-]*[a-z]\b(?!/\d)", README))
    assert named, "the README names no hook"
    assert named <= manifest, f"README names hooks that do not exist: {named - manifest}"
    assert manifest <= named, f"hooks missing from the README: {manifest - named}"


def test_every_command_in_readme_exists() -> None:
    named = set(re.findall(r"(?:`|^\$ |^)charter ([a-z][a-z-]*)", README, re.MULTILINE))
    assert named, "the README names no command"
    assert named <= set(COMMANDS), (
        f"README names commands that do not exist: {named - set(COMMANDS)}"
    )
    assert set(COMMANDS) <= named, f"commands missing from the README: {set(COMMANDS) - named}"


def test_every_constraint_kind_is_documented() -> None:
    for kind in KINDS:
        assert f"`{kind}`" in README


def test_readme_opens_with_the_two_set_up_commands() -> None:
    block = re.search(r"## Set up\n\n```sh\n(.*?)```", README, re.DOTALL)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert commands == ["make demo", "make test"]
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.MULTILINE)
    assert re.search(r"^test:", makefile, re.MULTILINE)
