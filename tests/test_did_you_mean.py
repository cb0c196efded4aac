"""A mistyped subcommand, option or choice gets the closest valid one (exit 2, usage error)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.repo import run_cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["chek"],
            "charter: error: argument COMMAND: invalid choice: 'chek' (did you mean 'check'?)",
        ),
        (["smi", "run"], "invalid choice: 'smi' (did you mean 'sim'?)"),  # a plugin command
        (
            ["sim", "rnu"],
            "charter sim: error: argument SUBCOMMAND: invalid choice: 'rnu' (did you mean 'run'?)",
        ),
        (
            ["check", "--stagd"],
            "charter: error: unrecognized arguments: --stagd (did you mean --staged?)",
        ),
        (["check", "--format", "jsn"], "invalid choice: 'jsn' (did you mean 'json'?)"),
        (
            ["validate", "--strickt=1"],
            "unrecognized arguments: --strickt=1 (did you mean --strict?)",
        ),
        (["sim", "image", "biuld"], "invalid choice: 'biuld' (did you mean 'build'?)"),
    ],
)
def test_did_you_mean(tmp_path: Path, args: list[str], message: str) -> None:
    code, out, err = run_cli(*args, cwd=tmp_path)
    assert (code, out) == (2, "")
    assert message in err.splitlines()[-1]


def test_nothing_close_gives_the_plain_argparse_error(tmp_path: Path) -> None:
    code, _, err = run_cli("zzzzzz", cwd=tmp_path)
    assert code == 2
    assert "invalid choice: 'zzzzzz' (choose from" in err
    code, _, err = run_cli("check", "--qqqq", cwd=tmp_path)
    assert code == 2
    assert err.splitlines()[-1] == "charter: error: unrecognized arguments: --qqqq"
