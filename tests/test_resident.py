"""``--resident``: the one-shot hooks' answers, from a warm server.

Each test runs a server of its own (``CHARTER_RESIDENT_NAME``), started the way a user's
is, by a call that found none, and stops it at the end. Which process judged a call is
told by the team's ``python`` check, which writes down its process's parent (the server,
for a call it took), or by the caller's own imports (``-X importtime``): a caller the
server served never imports the command line.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.app import write_app
from support.repo import commit_all, decision, git, run_cli, write_decision, write_file

from charter.hooks import resident

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="abstract Unix sockets")

WHO = """\
import os


def who(ctx):
    with open({record!r}, "a", encoding="utf-8") as record:
        record.write(f"{{os.getppid()}}\\n")
    return []
"""
PLUGIN = decision(
    "ADR-0002",
    extra="""
    constraints:
      - kind: python
        check: checks.who:who
        paths: ["app/**"]
    """,
)
PROTECTED = decision(
    "ADR-0003",
    extra="""
    constraints:
      - kind: protected
        paths: ["app/db/models.py"]
        message: The schema changes through migrations.
    """,
)
VIOLATION = "from app.db import models\nfrom app.services import billing\n"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """This test's server name (set for every ``charter`` it starts); stopped at the end."""
    monkeypatch.setenv(resident.NAME_VARIABLE, f"test-{uuid.uuid4().hex}")
    name = resident.name()
    yield name
    for pid in _servers(name):  # listening or not yet: one may be starting
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)


def _servers(name: str) -> list[int]:
    """The processes started as the server named ``name``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if name.encode() in argv and entry.name.isdigit():
            found.append(int(entry.name))
    return found


@pytest.fixture
def app(repo: Path, tmp_path: Path) -> Path:
    write_app(repo, {"app/api/views.py": "from app.services import billing\n\nX = 1\n"})
    write_file(repo, "app/services/billing.py", "X = 1\n")
    write_file(repo, "checks/__init__.py", "")
    write_file(repo, "checks/who.py", WHO.format(record=str(tmp_path / "judged-by")))
    write_decision(repo, "0002-who.md", PLUGIN)
    write_decision(repo, "0003-schema.md", PROTECTED)
    commit_all(repo)
    return repo


def hook(root: Path, payload: dict[str, Any] | str, *flags: str) -> tuple[int, str, str]:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return run_cli("hook", "claude", *flags, cwd=root, stdin=text)


def charter(root: Path, *args: str, importtime: bool = False) -> tuple[int, str, str]:
    """``charter ARGS`` at ``root`` (``importtime``: with ``-X importtime``)."""
    return run_cli(*args, cwd=root, python=["-X", "importtime"] if importtime else [])


def _said(err: str) -> str:
    return "".join(line for line in err.splitlines(True) if not line.startswith("import time:"))


def edit(root: Path, old: str, new: str) -> dict[str, Any]:
    tool_input = {"file_path": str(root / "app/api/views.py"), "old_string": old, "new_string": new}
    return {"tool_name": "Edit", "cwd": str(root), "tool_input": tool_input}


def judged_by(tmp_path: Path) -> int:
    """The parent of the process that judged the last call."""
    return int((tmp_path / "judged-by").read_text(encoding="utf-8").split()[-1])


def listening(name: str) -> int:
    """The pid of the server named ``name``, once it takes calls."""
    for _ in range(200):
        pid = resident.server_pid(name)
        if pid is not None:
            return pid
        time.sleep(0.05)
    raise AssertionError(f"no server {name} after 10 s")


def test_a_call_is_judged_by_a_child_of_the_server_with_the_one_shot_answer(
    app: Path, server: str, tmp_path: Path
) -> None:
    blocked = edit(app, "from app.services import billing\n", VIOLATION)
    one_shot = hook(app, blocked)
    assert one_shot[0] == 2 and "[forbid-import] Handlers must not touch" in one_shot[2]
    assert resident.server_pid(server) is None  # no flag, no server

    assert hook(app, blocked, "--resident") == one_shot  # judged here: no server yet
    assert judged_by(tmp_path) != resident.server_pid(server)
    pid = listening(server)
    for payload in (blocked, edit(app, "X = 1\n", "X = 2\n"), "not json"):
        expected = hook(app, payload)
        assert hook(app, payload, "--resident") == expected
        if payload != "not json":
            assert judged_by(tmp_path) == pid
    assert resident.server_pid(server) == pid  # one server serves every call


@pytest.mark.usefixtures("git_identity")
def test_the_commit_hooks_are_judged_by_the_server_with_the_one_shot_answers(
    app: Path, server: str, tmp_path: Path
) -> None:
    write_file(app, "app/api/views.py", VIOLATION)
    write_file(app, "app/db/models.py", "TABLE = 'bills'\n")
    git(app, "add", "-A")
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text("Reach the bills\n", encoding="utf-8")
    hooks = (["check", "--staged"], ["commit-msg", str(message)])
    one_shot = [charter(app, *args) for args in hooks]
    assert one_shot[0][0] == 1 and "[forbid-import]" in one_shot[0][1]
    assert one_shot[1][0] == 1 and "[protected]" in one_shot[1][1] + one_shot[1][2]

    assert charter(app, "check", "--staged", "--resident") == one_shot[0]  # starts it
    pid = listening(server)
    for args, expected in zip(hooks, one_shot, strict=True):
        code, out, err = charter(app, *args, "--resident", importtime=True)
        assert (code, out, _said(err)) == expected
        assert "charter.hooks.cli" not in err  # the caller did not judge it: the server did
    assert judged_by(tmp_path) == pid  # check's python check ran in the server's child


def test_a_second_server_under_the_same_name_exits(app: Path, server: str) -> None:
    hook(app, edit(app, "X = 1\n", "X = 2\n"), "--resident")
    pid = listening(server)
    second = subprocess.run(
        [sys.executable, "-c", "from charter.hooks.resident import serve; serve()", server],
        timeout=60,
    )
    assert second.returncode == 0
    assert resident.server_pid(server) == pid


def test_another_users_call_is_refused(app: Path, server: str) -> None:
    """The kernel says who calls: a call of another user is never judged as ours."""
    if os.getuid() != 0:
        pytest.skip("becoming another user takes root")
    hook(app, edit(app, "X = 1\n", "X = 2\n"), "--resident")
    listening(server)
    request = marshal.dumps({"prefix": sys.prefix, "version": resident.__version__})
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setuid(65534)  # nobody, calling our server
            with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as connection:
                connection.settimeout(10)
                connection.connect(f"\0{server}")
                try:
                    connection.send(request)
                    answer = connection.recv(1)
                except (BrokenPipeError, ConnectionResetError):
                    answer = b""  # closed before reading a byte of it
                os.write(write, b"answer: " + answer)
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 100) == b"answer: "  # closed unanswered: judged one-shot by the caller
    assert hook(app, edit(app, "X = 1\n", "X = 3\n"), "--resident")[0] == 0  # ours still are


def test_a_server_of_another_user_gets_nothing(server: str) -> None:
    """Anyone may take a name in the abstract namespace: a caller sends its environment
    and streams only to a server of its own user, else judges the call itself."""
    if os.getuid() != 0:
        pytest.skip("becoming another user takes root")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child: nobody's server under our name
        try:
            os.setuid(65534)
            got = b""
            with _listener(server) as listener:
                listener.settimeout(3)
                with contextlib.suppress(TimeoutError):
                    while True:  # until no one calls for 3 s
                        connection, _ = listener.accept()
                        connection.settimeout(3)
                        with contextlib.suppress(TimeoutError):
                            got += connection.recv(1 << 20)
            os.write(write, b"got: " + got)
        finally:
            os._exit(0)
    os.close(write)
    try:
        listening(server)
        assert resident.call(["hook", "claude", "--resident"]) is None
    finally:
        os.waitpid(pid, 0)
    assert os.read(read, 100) == b"got: "


def _listener(name: str) -> socket.socket:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(f"\0{name}")
    listener.listen(1)
    return listener


def test_a_server_that_does_not_take_the_call_leaves_it_to_the_one_shot_hook(
    app: Path, server: str
) -> None:
    """A server stuck before it answers costs the hook ``ACCEPT_S``, never a hang."""
    with _listener(server):  # listens, never accepts
        started = time.monotonic()
        payload = edit(app, "from app.services import billing\n", VIOLATION)
        code, _, err = hook(app, payload, "--resident")
        assert code == 2 and "[forbid-import]" in err
        assert time.monotonic() - started < resident.ACCEPT_S + 30


def test_a_server_lost_mid_call_is_said_and_does_not_block(
    server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with _listener(server) as listener:

        def take_and_die() -> None:
            connection, _ = listener.accept()
            connection.recv(1 << 20)
            connection.send(resident.ACCEPTED)
            _, fds, _, _ = socket.recv_fds(connection, 16, 3)
            for fd in fds:
                os.close(fd)
            connection.close()

        thread = threading.Thread(target=take_and_die)
        thread.start()
        assert resident.call(["hook", "claude", "--resident"]) == resident.EXIT_LOST
        thread.join()
    assert resident.LOST in capsys.readouterr().err


def test_a_server_whose_code_changed_retires(app: Path, server: str) -> None:
    """A call to a server whose modules changed on disk is refused, and the server takes
    no more calls: the next call starts one with the new code."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(f"\0{server}")
    state = resident._Server(listener)
    state.code = {**state.code, resident.__file__: 1}  # as if edited since
    request = {"prefix": sys.prefix, "version": resident.__version__}
    assert not state._takes(request)
    assert state.listener is None
    assert resident.server_pid(server) is None  # the name is free


def test_an_idle_server_exits(server: str) -> None:
    code = (
        "import sys\nfrom charter.hooks import resident\n"
        f"resident.IDLE_S = 0.5\nsys.argv = ['-c', {server!r}]\nresident.serve()\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code])
    assert process.wait(timeout=60) == 0
    assert resident.server_pid(server) is None


def test_a_call_the_server_takes_imports_almost_nothing(app: Path, server: str) -> None:
    """The caller waits on its own start-up: it imports the client alone (not ``socket``,
    whose ``enum`` and ``selectors`` would cost more than the rest of the call)."""
    hook(app, edit(app, "X = 1\n", "X = 2\n"), "--resident")
    listening(server)
    code = (
        "import sys\nsys.argv = ['charter', 'hook', 'claude', '--resident']\n"
        "from charter.hooks import launch\n"
        "try:\n    launch._call_resident(sys.argv[1:])\nexcept SystemExit as exc:\n"
        "    print(exc.code, ' '.join(sorted(sys.modules)), file=sys.__stdout__)\n"
    )
    payload = json.dumps(edit(app, "X = 1\n", "X = 3\n"))
    result = subprocess.run(
        [sys.executable, "-c", code], input=payload, cwd=app, capture_output=True, text=True
    )
    status, modules = result.stdout.split(" ", 1)
    assert status == "0"
    imported = set(modules.split())
    assert {m for m in imported if m.startswith("charter")} == {
        "charter",
        "charter.hooks",
        "charter.hooks.resident",
        "charter.hooks.launch",
    }
    start_up = subprocess.run(
        [sys.executable, "-c", "import sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
    ).stdout.split()  # what this interpreter imports before any code (an editable install's finder)
    assert not {"socket", "selectors", "subprocess", "enum", "json"} & (imported - set(start_up))
