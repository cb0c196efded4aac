"""The README and the documentation stay true: every hook id and command they name exists.

The kinds reference is generated from the model when the site is built (mkdocs.yml's
hook); here its generator is checked against the kinds, and the hand-written pages
against the hook manifest and the CLI's parser.
"""

from __future__ import annotations

import argparse
import re
import sys

import yaml
from support.docs import REPO, fenced, pages, tables

from charter.hooks.cli import COMMANDS, plugin_commands
from charter.hooks.decisions.model import decision_json_schema
from charter.hooks.kinds import KINDS

PAGES = pages()
README = PAGES["README.md"]
MANIFEST = {hook["id"] for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
# A hook id, not a format or schema name (charter-check/1), an image (charter-sim:latest)
# nor a file (.cursor/rules/charter-app.mdc, ci/charter-range-check.sh).
HOOK_ID = re.compile(r"(?<!/)\bcharter-[a-z][a-z-]*[a-z]\b(?![/:-]|\.\w)")
COMMAND = re.compile(r"(?:^|[`$\"' (])charter ([a-z][a-z-]*)", re.MULTILINE)


def _sim_subcommands() -> set[str]:
    from charter.simulator import cli as sim

    parser = argparse.ArgumentParser()
    sim.add_arguments(parser)
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return set(sub.choices)


def test_every_hook_id_named_exists_and_every_hook_is_documented() -> None:
    for page, text in PAGES.items():
        named = set(HOOK_ID.findall(text))
        assert named <= MANIFEST, f"{page} names hooks that do not exist: {named - MANIFEST}"
    hooks_page = set(HOOK_ID.findall(PAGES["docs/hooks.md"]))
    assert hooks_page >= MANIFEST, f"hooks missing from docs/hooks.md: {MANIFEST - hooks_page}"


def test_every_command_named_exists_and_every_command_is_documented() -> None:
    commands = set(COMMANDS) | set(plugin_commands())
    for page, text in PAGES.items():
        named = set(COMMAND.findall(text))
        assert named <= commands, f"{page} names commands that do not exist: {named - commands}"
    reference = set(COMMAND.findall(PAGES["docs/commands.md"]))
    assert commands <= reference, f"missing from docs/commands.md: {commands - reference}"


def test_every_sim_subcommand_named_exists_and_each_is_documented() -> None:
    subcommands = _sim_subcommands()
    for page, text in PAGES.items():
        named = set(re.findall(r"charter sim ([a-z]+)", text))
        assert named <= subcommands, f"{page}: no such `charter sim` command: {named}"
    documented = set(re.findall(r"charter sim ([a-z]+)", PAGES["docs/simulator.md"]))
    assert documented == subcommands


def test_the_kinds_reference_is_generated_for_every_kind() -> None:
    sys.path.insert(0, str(REPO / "docs" / "_gen"))
    try:
        from kinds_reference import kinds_reference
    finally:
        sys.path.pop(0)
    reference = kinds_reference(decision_json_schema())
    headings = re.findall(r"^## `([a-z-]+)`$", reference, re.MULTILINE)
    assert headings == sorted(KINDS)
    assert "<!-- charter:kinds-reference -->" in PAGES["docs/kinds.md"]
    # A required key shows as required, and its governance rule is the Kind record's.

    rule = KINDS["forbid-import"].strictness["from_"].value
    assert re.search(rf"^\| `from` \| .* \| yes \| .* \| {rule} \|$", reference, re.MULTILINE)


def test_the_readme_opens_with_the_two_set_up_commands() -> None:
    (block,) = re.findall(r"## Set up\n\n```sh\n(.*?)```", README, re.DOTALL)
    commands = [line.split("#")[0].strip() for line in block.splitlines()]
    assert commands == ["make demo", "make test"]
    makefile = (REPO / "Makefile").read_text()
    for target in ("demo", "test", "docs", "dist"):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE)
    assert re.search(r"^test: .*\bdocs\b.*\bdist\b", makefile, re.MULTILINE)


def test_the_readme_is_short_and_links_only_to_pages_that_exist() -> None:
    assert len(README.splitlines()) <= 100
    for link in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README):
        if "://" not in link:
            assert (REPO / link).is_file(), f"README links to a missing file: {link}"
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for link in re.findall(r"\]\(docs/([^)#]+\.md)\)", README):  # pages; images are files
        assert link in nav, f"README links to docs/{link}, which the site's nav leaves out"


def test_the_pre_commit_snippet_is_the_same_in_the_readme_and_first_steps() -> None:
    (readme,) = fenced(README, "yaml")
    assert readme in fenced(PAGES["docs/quickstart.md"], "yaml")
    config = yaml.safe_load(readme)
    ids = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert ids <= MANIFEST
    stages = {
        stage for repo in config["repos"] for hook in repo["hooks"] for stage in hook["stages"]
    }
    assert set(config["default_install_hook_types"]) == stages


def test_every_benchmark_table_carries_the_command_that_reproduces_it() -> None:
    measured = re.compile(r"\|\s*[+−-]?\d[\d.,]*\s*(?:s|ms|x|%)?\s*\|")
    for page, text in PAGES.items():
        if page not in (
            "README.md",
            "docs/benchmarks.md",
            "docs/simulator.md",
            "docs/docker-sandbox.md",
        ):
            continue
        for table, before in tables(text):
            if not measured.search(table):
                continue
            assert re.search(r"python bench/\S+\.py|charter sim (compare|run)", before), (
                f"{page}: a table of measurements without the command that reproduces it:\n"
                f"{table.splitlines()[0]}"
            )
