"""The CLI frame: version, exit codes, error reporting and a light start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from charter.hooks import __version__, cli
from charter.hooks.errors import CharterError

REPO = Path(__file__).resolve().parents[1]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"charter {__version__}"


def test_console_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "charter.hooks", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"charter {__version__}"


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for name in cli.COMMANDS:
        with pytest.raises(SystemExit) as exit_info:
            cli.main([name, "--help"])
        assert exit_info.value.code == 0
        assert f"usage: charter {name}" in capsys.readouterr().out


def _failing(exc: BaseException) -> object:
    def run(args: object) -> int:
        raise exc

    return run


def test_expected_failure_exits_2_with_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from charter.hooks.commands import schema

    monkeypatch.setattr(schema, "run", _failing(CharterError("pyproject.toml:3: bad value")))
    assert cli.main(["schema"]) == 2
    assert capsys.readouterr().err == "charter: error: pyproject.toml:3: bad value\n"


def test_internal_error_exits_3_and_debug_shows_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from charter.hooks.commands import schema

    monkeypatch.setattr(schema, "run", _failing(ZeroDivisionError("oops")))
    assert cli.main(["schema"]) == 3
    err = capsys.readouterr().err
    assert "charter: internal error: ZeroDivisionError: oops" in err
    assert "--debug" in err
    assert "Traceback" not in err

    assert cli.main(["schema", "--debug"]) == 3
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_config_error_exits_2_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / ".charter.toml").write_text('decisons = "adr"\n')
    result = subprocess.run(
        [sys.executable, "-m", "charter.hooks", "validate", "--root", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(
        "charter: error: .charter.toml:1: unknown Charter setting 'decisons' "
        "(did you mean 'decisions'?)"
    )


def test_start_up_is_light(tmp_path: Path) -> None:
    """Building the parser and reading the settings import neither pydantic nor yaml."""
    code = (
        "import sys\n"
        "from charter.hooks.cli import main\n"
        f"main(['config', '--root', {str(tmp_path)!r}])\n"
        "heavy = sorted(m for m in ('pydantic', 'yaml', 'libcst') if m in sys.modules)\n"
        "print('heavy:', heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "heavy: []"


def test_plugin_commands_are_found_through_entry_points(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.plugin_commands() == {
        "learn": "charter.simulator.commands.learn",
        "sim": "charter.simulator.cli",
    }
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    listed = capsys.readouterr().out
    assert "sim       simulate constraint sets" in listed
    assert "learn     propose guards" in listed
    with pytest.raises(SystemExit):
        cli.main(["sim", "run", "--help"])
    assert "usage: charter sim run" in capsys.readouterr().out


def _schema_through_entry(before: str) -> subprocess.CompletedProcess[str]:
    """``charter schema`` run by ``launch.entry`` (as the command is) after ``before``."""
    run = "from charter.hooks import launch\nsys.argv = ['charter', 'schema']\nlaunch.entry()\n"
    code = before + run
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_the_command_exits_with_its_output_whole_and_its_exit_handlers_run(
    tmp_path: Path,
) -> None:
    """``charter`` skips the interpreter's teardown (``launch.entry``), never what a user sees."""
    done = tmp_path / "handler-ran"
    result = _schema_through_entry(
        "import atexit, pathlib, sys\n"
        f"atexit.register(pathlib.Path({str(done)!r}).write_text, 'yes')\n"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "Charter decision record"  # flushed, whole
    assert done.read_text() == "yes"


def test_a_thread_still_working_is_waited_for(tmp_path: Path) -> None:
    late = tmp_path / "late"
    result = _schema_through_entry(
        "import pathlib, sys, threading, time\n"
        f"def work():\n    time.sleep(0.5)\n    pathlib.Path({str(late)!r}).write_text('done')\n"
        "threading.Thread(target=work).start()\n"
    )
    assert result.returncode == 0, result.stderr
    assert late.read_text() == "done"


@pytest.mark.parametrize(("command", "collects"), [("check", False), ("schema", True)])
def test_only_the_short_commands_run_without_the_cycle_collector(
    command: str, collects: bool
) -> None:
    """A hook's process frees its cycles at exit; a long-lived command keeps collecting."""
    code = (
        "import gc, sys\n"
        "from charter.hooks import cli, launch\n"
        "cli.main = lambda: print(gc.isenabled()) or 0\n"
        f"sys.argv = ['charter', {command!r}]\n"
        "launch.entry()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(collects)


@pytest.mark.parametrize("columns", [None, "52", "130", "0", "wide"])
def test_help_is_wrapped_as_argparse_wraps_it(
    columns: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Charter's formatter finds the width without ``shutil`` (start-up); the help is
    the text argparse's own formatter gives, at any ``COLUMNS``, on a pipe or not."""
    import argparse

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)

    def helps(formatter: type[argparse.HelpFormatter]) -> list[str]:
        monkeypatch.setattr(cli.CharterFormatter, "__init__", formatter.__init__)
        parser = cli.build_parser(commands=("check", "commit-msg", "waivers"))
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        return [parser.format_help()] + [p.format_help() for p in subs[0].choices.values()]

    import shutil

    assert cli.CharterFormatter("charter")._width == shutil.get_terminal_size().columns - 2
    assert helps(cli.CharterFormatter) == helps(argparse.HelpFormatter)
