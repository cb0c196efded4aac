"""The README stays true: every hook id and command it names exists."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from charter.hooks.cli import COMMANDS, plugin_commands
from charter.hooks.decisions.model import KINDS

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
# The pages under docs/ document what the README only links to.
DOCS = README + "".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").glob("*.md")))


def test_every_hook_id_in_readme_exists() -> None:
    manifest = {
        hook["id"] for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    }
    named = set(re.findall(r"\bcharter-[a-z][a-z-]*[a-z]\b(?![/:-])", README))  # no schema, image
    assert named, "the README names no hook"
    assert named <= manifest, f"README names hooks that do not exist: {named - manifest}"
    assert manifest <= named, f"hooks missing from the README: {manifest - named}"


def test_every_command_in_readme_exists() -> None:
    named = set(re.findall(r"(?:`|^\$ |^)charter ([a-z][a-z-]*)", README, re.MULTILINE))
    commands = set(COMMANDS) | set(plugin_commands())
    assert named, "the README names no command"
    assert named <= commands, f"README names commands that do not exist: {named - commands}"
    documented = set(re.findall(r"(?:`|^\$ |^)charter ([a-z][a-z-]*)", DOCS, re.MULTILINE))
    assert commands <= documented, f"commands missing from the docs: {commands - documented}"


def test_every_sim_subcommand_in_readme_exists() -> None:
    import argparse

    from charter.simulator import cli as sim

    parser = argparse.ArgumentParser()
    sim.add_arguments(parser)
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    named = set(re.findall(r"charter sim ([a-z]+)", README))
    assert named == set(sub.choices), f"README vs charter sim: {named ^ set(sub.choices)}"


def test_every_constraint_kind_is_documented() -> None:
    for kind in KINDS:
        assert f"`{kind}`" in DOCS


def test_readme_opens_with_the_two_set_up_commands() -> None:
    block = re.search(r"## Set up\n\n```sh\n(.*?)```", README, re.DOTALL)
    assert block is not None
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert commands == ["make demo", "make test"]
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.MULTILINE)
    assert re.search(r"^test:", makefile, re.MULTILINE)
