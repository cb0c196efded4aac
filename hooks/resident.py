"""``--resident``: Charter's hooks judged by a warm server.

Claude Code runs its PreToolUse hook as a new process for every edit, and pre-commit
runs ``charter check --staged`` and ``charter commit-msg`` for every commit; most of a
warm run of each is Python's start and Charter's imports. With ``--resident`` (``charter
hook claude``, ``check``, ``commit-msg``), the ``charter`` process hands its call to a
server that has imported Charter already: the server forks a child that takes over the
caller's standard streams, working directory, environment and arguments and runs the
same command (``launch.entry``); the caller exits with the child's status. So each call
is still judged in a process of its own, from the files on disk, exactly as a one-shot
run judges it: nothing one call reads outlives it.

- **Started** by the first call that finds no server: that call is judged the usual
  way, then starts one, detached, which imports the hooks' modules.
- **One per user and installation** (its name: the user, the Python environment and
  Charter's version), on an abstract Unix socket: Linux only; elsewhere every call is
  one-shot.
- **Serves its own user only**: the caller's uid, which the kernel gives with the
  connection, must be the server's; and a caller talks only to a server of its own user
  (anyone may take a name in the abstract namespace).
- **Exits** after ``IDLE_S`` without a call, and when a file of a module it imported
  has changed (Charter or a package it uses upgraded, or edited): that call is refused,
  judged the usual way, and starts a new server.
- **Never hangs a hook**: a call the server does not take within ``ACCEPT_S`` is judged
  the usual way; one whose server goes away mid-call says so and exits 1 (which blocks
  a commit, to be run again, and does not block Claude Code's edit).

The client's side (``call``) imports nothing but what Python has loaded at start-up:
``socket``'s own imports (``enum``, ``selectors``) cost more than the rest of the call.
"""

from __future__ import annotations

import _socket
import marshal
import os
import sys

from charter.hooks import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:
    import socket

ACCEPT_S = 2.0  # the most a call waits for the server to take it
IDLE_S = 900  # a server with no call for this long exits
NAME_VARIABLE = "CHARTER_RESIDENT_NAME"  # another server's name (tests run their own)
LOST = (
    "charter: the resident server went away during the check, so nothing was checked: run it again"
)
EXIT_LOST = 1  # a commit is stopped; Claude Code shows the message and lets the edit go ahead
# What the server imports besides what the call that started it imported: every hook's.
HOOKS = (
    "charter.hooks.cli",
    "charter.hooks.commands.check",
    "charter.hooks.commands.commit_msg",
    "charter.hooks.commands.hook",
    "charter.hooks.agents.claude_hook",
    "charter.hooks.agents.change",
    "charter.hooks.verdict",
    "charter.hooks.engine",
    "charter.hooks.governance",
    "charter.hooks.report.text",
)
ACCEPTED = b"+"
_MAX_REQUEST = 1 << 20
_STREAMS = (0, 1, 2)

# True in a child of the server: the call it judges starts no server of its own.
served = False


def name() -> str:
    """The name of this user's and installation's server."""
    import zlib

    key = os.environ.get(NAME_VARIABLE) or f"{sys.prefix}\0{__version__}"
    return f"charter-hooks-{os.getuid()}-{zlib.crc32(key.encode()):08x}"


def _address(server: str) -> str:
    """The socket address of the server named ``server``: in the abstract namespace."""
    return f"\0{server}"


def _request(argv: list[str]) -> bytes:
    return marshal.dumps(
        {
            "argv": argv,
            "cwd": os.getcwd(),
            "env": dict(os.environ),
            "prefix": sys.prefix,
            "version": __version__,
        }
    )


def call(argv: list[str]) -> int | None:
    """Have the resident server judge this process's call (``argv``, its standard
    streams): the exit status, or None when no server took the call."""
    if sys.platform != "linux":  # no abstract namespace
        return None
    try:
        connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_SEQPACKET)
    except OSError:
        return None
    try:
        answer = _answer(connection, argv)
    finally:
        connection.close()
    if answer is None:
        return None
    if len(answer) != 4:
        sys.stderr.write(f"{LOST}\n")
        return EXIT_LOST
    return int.from_bytes(answer, "big", signed=True)


def _answer(connection: _socket.socket, argv: list[str]) -> bytes | None:
    """The server's answer (the status, in 4 bytes; fewer when it went away mid-call), or
    None when it did not take the call."""
    try:
        connection.settimeout(ACCEPT_S)
        connection.connect(_address(name()))
        # Anyone may take a name in the abstract namespace: the request (this process's
        # environment) and the streams go only to a server of this user.
        if not _own_user(connection):
            return None
        connection.send(_request(argv))
        if connection.recv(1) != ACCEPTED:
            return None  # refused: another user's call, another version, stale code
    except OSError:  # none, or it did not take the call in time
        return None
    # The streams go only to a server that took the call: ones sent with the request would
    # stay open in the queue of a server that never reads it, and whoever reads this
    # process's output (Claude Code, pre-commit) would wait for their end.
    fds = b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in _streams())
    try:
        connection.sendmsg([b"streams"], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
        connection.settimeout(None)
        return connection.recv(4)
    except OSError:
        return b""


def _streams() -> list[int]:
    """This process's standard streams, a closed one replaced by ``os.devnull``."""
    fds = []
    for fd in _STREAMS:
        try:
            os.fstat(fd)
            fds.append(fd)
        except OSError:
            fds.append(os.open(os.devnull, os.O_RDWR))
    return fds


def start() -> None:
    """Start this installation's server, detached, with the modules this process has
    imported (a call's judgement imported them); one already running keeps its name and
    the new one exits."""
    import contextlib
    import subprocess

    if served or sys.platform != "linux":
        return
    modules = sorted({*HOOKS, *(m for m in sys.modules if m != "__main__")})
    code = "from charter.hooks.resident import serve; serve()"
    with contextlib.suppress(OSError, ValueError):  # else every call stays one-shot
        subprocess.Popen(
            [sys.executable, "-c", code, name(), *modules],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd="/",
            start_new_session=True,
        )


def server_pid(server: str | None = None) -> int | None:
    """The process id of the server (``name()``, or ``server``), or None when none runs."""
    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_SEQPACKET)
    try:
        connection.connect(_address(server or name()))
        pid, _ = _peer(connection)
    except OSError:
        return None
    finally:
        connection.close()
    return pid


def _own_user(connection: _socket.socket) -> bool:
    """Whether the process at the other end of ``connection`` runs as this one's user."""
    return _peer(connection)[1] == os.getuid()


def _peer(connection: _socket.socket) -> tuple[int, int]:
    """The pid and uid of the process at the other end of ``connection`` (``ucred``:
    pid, uid and gid, 4 bytes each)."""
    ucred = connection.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, 12)
    pid = int.from_bytes(ucred[0:4], sys.byteorder, signed=True)
    return pid, int.from_bytes(ucred[4:8], sys.byteorder)


# -- the server ---------------------------------------------------------------------------


def serve() -> None:
    """The server: ``python -c ... NAME MODULE...`` (``start``).

    The name is taken first (a second server exits at once), then the modules are
    imported; until the server listens, a call is refused at once and judged one-shot.
    """
    import importlib
    import socket

    server, modules = sys.argv[1], sys.argv[2:]
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        listener.bind(_address(server))
    except OSError:
        return  # a server runs under this name already
    for module in modules:
        try:
            importlib.import_module(module)
        except Exception:  # imported by a child that needs it, or never needed
            continue
    _Server(listener).run()


class _Server:
    """The accept loop: a child forked per call taken, its status sent back when it ends."""

    def __init__(self, listener: socket.socket) -> None:
        import selectors

        self.code = _code_files()
        self.listener: socket.socket | None = listener
        self.calls: dict[int, socket.socket] = {}  # child pid -> its caller's connection
        self.selector = selectors.DefaultSelector()
        self.selector.register(listener, selectors.EVENT_READ, "accept")

    def run(self) -> None:
        import gc
        import selectors
        import signal
        import socket

        assert self.listener is not None
        self.listener.listen(16)
        wake_r, wake_w = socket.socketpair()
        wake_r.setblocking(False)
        wake_w.setblocking(False)
        signal.set_wakeup_fd(wake_w.fileno())
        signal.signal(signal.SIGCHLD, lambda *_: None)
        self.selector.register(wake_r, selectors.EVENT_READ, "reap")
        gc.freeze()  # the children share the imported modules' pages instead of copying them
        while self.listener is not None or self.calls:
            events = self.selector.select(IDLE_S)
            if not events and not self.calls:
                return  # idle
            for key, _ in events:
                if key.data == "accept":
                    self._accept()
                elif key.data == "reap":
                    _drain(wake_r)
                    self._reap()
                else:  # the caller went away mid-call (Claude Code's timeout): so does the call
                    self.selector.unregister(key.fileobj)
                    _kill_group(key.data)

    def _retire(self) -> None:
        """Take no more calls (the name is free for a new server at once)."""
        if self.listener is not None:
            self.selector.unregister(self.listener)
            self.listener.close()
            self.listener = None

    def _accept(self) -> None:
        import selectors
        import socket

        assert self.listener is not None
        connection, _ = self.listener.accept()
        fds: list[int] = []
        try:
            # Another user's bytes are never read: ``marshal`` is safe on one's own only.
            if not _own_user(connection):
                connection.close()
                return
            connection.settimeout(ACCEPT_S)  # a caller that does not go on loses its call
            request = marshal.loads(connection.recv(_MAX_REQUEST))
            if not self._takes(request):
                connection.close()
                return
            connection.send(ACCEPTED)
            _, fds, _, _ = socket.recv_fds(connection, 16, len(_STREAMS))
            if len(fds) != len(_STREAMS):
                connection.close()
                return
            pid = os.fork()
            if pid == 0:
                _child(request, fds, [connection, self.listener])
        except (OSError, EOFError, ValueError, TypeError):
            connection.close()
            return
        finally:
            for fd in fds:
                os.close(fd)
        self.calls[pid] = connection
        self.selector.register(connection, selectors.EVENT_READ, pid)

    def _takes(self, request: object) -> bool:
        """Whether to judge ``request`` (of this user's): it is this Charter's, and this
        Charter's code is still the one on disk (else the server retires)."""
        if not isinstance(request, dict):
            return False
        if request.get("prefix") != sys.prefix or request.get("version") != __version__:
            return False
        if _changed(self.code):
            self._retire()
            return False
        return True

    def _reap(self) -> None:
        import contextlib

        while self.calls:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            connection = self.calls.pop(pid, None)
            if connection is None:
                continue
            with contextlib.suppress(KeyError):  # unless its caller went away
                self.selector.unregister(connection)
            code = os.waitstatus_to_exitcode(status)
            status_code = code if code >= 0 else 128 - code  # killed by a signal: 128 + it
            with contextlib.suppress(OSError):  # the caller went away
                connection.send(status_code.to_bytes(4, "big", signed=True))
            connection.close()


def _child(request: dict[str, object], fds: list[int], close: list[socket.socket | None]) -> None:
    """Judge one call: the caller's streams, directory, environment and arguments, in a
    process and session of its own (killed as one group if the caller goes away)."""
    global served
    import signal

    code = 1
    try:
        os.setsid()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for item in close:
            if item is not None:
                item.close()
        for target, fd in zip(_STREAMS, fds, strict=True):
            os.dup2(fd, target)
        os.chdir(str(request["cwd"]))
        os.environ.clear()
        os.environ.update(request["env"])  # type: ignore[call-overload]
        sys.argv = ["charter", *request["argv"]]  # type: ignore[misc]
        served = True
        from charter.hooks.launch import entry

        entry()  # exits
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # said on the caller's stream, then exit 1
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def _code_files() -> dict[str, int]:
    """The file and modification time of every module imported (Charter's, the packages
    it uses and Python's own): what a child runs without reading it again."""
    found = {}
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str):
            found[file] = _modified(file)
    return found


def _changed(code: dict[str, int]) -> bool:
    """Whether a file of ``code`` (``_code_files``) has changed since."""
    return any(_modified(file) != modified for file, modified in code.items())


def _modified(file: str) -> int:
    try:
        return os.stat(file).st_mtime_ns
    except OSError:
        return -1


def _drain(wake: socket.socket) -> None:
    """Read the wake-up bytes the signals wrote."""
    import contextlib

    with contextlib.suppress(BlockingIOError):
        while wake.recv(4096):
            pass


def _kill_group(pid: int) -> None:
    import contextlib
    import signal

    with contextlib.suppress(OSError):  # ended already
        os.killpg(pid, signal.SIGKILL)
