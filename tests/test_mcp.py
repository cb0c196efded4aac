"""``charter mcp``: a real MCP client session over stdio with the server as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from support.app import FORBID, write_app
from support.repo import write_decision

mcp = pytest.importorskip("mcp")

# A `git diff` of app/api/views.py (the blank context line is a single space).
DIFF = "\n".join(
    [
        "diff --git a/app/api/views.py b/app/api/views.py",
        "index 0000000..1111111 100644",
        "--- a/app/api/views.py",
        "+++ b/app/api/views.py",
        "@@ -1,3 +1,4 @@",
        "+from app.db import models",
        " from app.services import billing",
        " ",
        " X = 1",
        "",
    ]
)


@pytest.fixture
def app(repo: Path) -> Path:
    write_app(
        repo,
        {
            "app/api/views.py": "from app.services import billing\n\nX = 1\n",
            "app/services/billing.py": "X = 1\n",
        },
    )
    return repo


async def _session(root: Path, calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    params = mcp.StdioServerParameters(
        command=sys.executable, args=["-m", "charter.hooks", "mcp"], cwd=str(root)
    )
    results: list[Any] = []
    async with (
        mcp.stdio_client(params) as (read, write),
        mcp.ClientSession(read, write) as session,
    ):
        await session.initialize()
        tools = await session.list_tools()
        results.append(sorted(tool.name for tool in tools.tools))
        for name, arguments in calls:
            results.append(await session.call_tool(name, arguments))
    return results


def _json(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    data: dict[str, Any] = json.loads(result.content[0].text)
    return data


def test_round_trip_through_a_real_client_session(app: Path) -> None:
    views = app / "app/api/views.py"
    before = views.read_text()
    tools, context, bad, good, clean_diff, broken = anyio.run(
        _session,
        app,
        [
            ("decisions_for", {"paths": ["app/api/views.py"], "task": "list invoices"}),
            ("check_diff", {"diff": DIFF}),
            ("check_files", {"files": {"app/api/views.py": "from app.services import billing\n"}}),
            ("check_diff", {"diff": DIFF.replace("+from app.db import models", "+import json")}),
            ("check_diff", {"diff": DIFF.replace("X = 1", "Y = 2")}),
        ],
    )
    assert tools == ["check_diff", "check_files", "decisions_for"]

    document = _json(context)
    assert document["schema"] == "charter-context/1"
    [first] = document["decisions"]
    assert first["id"] == "ADR-0001" and first["reason"] == "path"
    assert first["constraints"][0]["text"] == (
        "Do not import app.db from app.api. Handlers must not touch the database. "
        "Instead: call a service from app.services instead."
    )

    report = _json(bad)
    assert report["schema"] == "charter-check/1"
    [violation] = report["violations"]
    assert violation["decision"] == "ADR-0001"
    assert violation["path"] == "app/api/views.py" and violation["line"] == 1
    assert violation["remedy"] == "Call a service from app.services instead."

    assert _json(good)["violations"] == []
    assert _json(clean_diff)["violations"] == []
    assert broken.is_error
    assert "hunk 1" in broken.content[0].text and "does not apply" in broken.content[0].text
    assert views.read_text() == before  # nothing was written


def test_without_the_sdk_the_command_names_the_fix(app: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['mcp'] = None  # as if the extra were not installed\n"
        "from charter.hooks.cli import main\n"
        "raise SystemExit(main(['mcp']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=app, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "pip install 'charter[mcp]'" in result.stderr


def test_help_and_check_never_import_the_sdk(app: Path) -> None:
    code = (
        "import sys\n"
        "from charter.hooks.cli import main\n"
        "main(['check', '--all'])\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('mcp loaded:', any(m == 'mcp' or m.startswith('mcp.') for m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=app, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.splitlines()[-1] == "mcp loaded: False", result.stderr


def test_paths_may_be_one_string_and_errors_carry_their_message(app: Path) -> None:
    _, one, outside, broken_records = anyio.run(
        _session,
        app,
        [
            ("decisions_for", {"paths": "app/api/views.py", "task": "list invoices"}),
            ("check_files", {"files": {"../elsewhere.py": "X = 1\n"}}),
            ("decisions_for", {"paths": ["app/api/views.py"]}),
        ],
    )
    document = _json(one)
    assert document["query"]["paths"] == ["app/api/views.py"]
    assert [d["id"] for d in document["decisions"]] == ["ADR-0001"]
    assert outside.is_error
    text = outside.content[0].text
    assert "../elsewhere.py: not inside the repository" in text
    assert text.endswith("give paths inside it")  # the reason, not a bare "Error executing tool"
    assert not broken_records.is_error


def test_a_broken_decision_record_is_a_tool_error_naming_the_file(app: Path) -> None:
    write_decision(
        app, "0002-broken.md", FORBID.replace("ADR-0001", "ADR-0002").replace("accepted", "acceptd")
    )
    [_, result] = anyio.run(_session, app, [("decisions_for", {"paths": "app/api/views.py"})])
    assert result.is_error
    assert "0002-broken.md" in result.content[0].text


# A resident server: the records come from the compiled cache and are validated again
# (PyYAML, pydantic models of the records) only once a decision file changed.
RESIDENT = """
import json, sys
from pathlib import Path
import anyio
from charter.hooks import settings
from charter.hooks.agents.mcp_server import build

server = build(settings.load(Path.cwd())[0])

def call(name, arguments):
    result = anyio.run(server.call_tool, name, arguments)
    return json.loads(result.content[0].text)

def validated():
    return "charter.hooks.decisions.load" in sys.modules or "yaml" in sys.modules

answers = [call("decisions_for", {"paths": "app/api/views.py"})["decisions"][0]["title"]]
answers.append(call("check_files", {"files": {"app/api/views.py": "X = 2\\n"}})["violations"])
answers.append(validated())
record = Path("docs/decisions/0001-api-db.md")
record.write_text(record.read_text().replace("storage only", sys.argv[1]))
answers.append(call("decisions_for", {"paths": "app/api/views.py"})["decisions"][0]["title"])
answers.append(validated())
print(json.dumps(answers))
"""


def test_a_resident_server_validates_the_records_only_when_one_changed(app: Path) -> None:
    def run(words: str) -> list[Any]:
        result = subprocess.run(
            [sys.executable, "-c", RESIDENT, words],
            cwd=app,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        answers: list[Any] = json.loads(result.stdout.splitlines()[-1])
        return answers

    first = run("the database only")  # validates, and fills the caches
    assert first[0] == "The API reaches storage only through services"
    assert first[3] == "The API reaches the database only through services"
    (app / "docs/decisions/0001-api-db.md").write_text(FORBID)
    second = run("the tables only")
    assert second[:2] == [first[0], []]
    assert second[2] is False  # answered from the cache: nothing was validated
    # A record changed: validated again, and the new title is the answer.
    assert second[3:] == ["The API reaches the tables only through services", True]
