"""The resident driver: one long-lived process per sandbox that runs its commands.

Starting a process per command costs a ``docker exec`` (three API calls and a new
in-container driver) in the docker sandbox, and a Python start-up plus Charter's imports
for every ``charter`` command in both. The resident driver is started once per run, inside
the sandbox, and reads requests on its stdin, one JSON line each; it answers one JSON
line each on its stdout:

- ``exec``: run a command (its own session, a timeout; with ``--sweep``, every other
  process of the sandbox is killed when it ends, as the docker sandbox's per-command
  driver did);
- ``charter``: run a ``charter`` command in the driver's own process (``charter.hooks.cli
  .main``), so the oracle and drift reuse its imports and in-memory caches;
- ``write`` / ``read``: a file of the sandbox (the docker sandbox needs no archive call);
- ``warm``: start the warm hook server (warm.py) and write its client scripts.

What runs is the same as with a process per command: the same ``git``, the same
``pre-commit``, the same Charter code; only start-ups are saved. The driver runs under
``python -I`` with the sandbox's environment. Its stdout carries only the protocol: it
keeps a private duplicate and points fd 1 at ``/dev/null`` before anything runs.
"""

from __future__ import annotations

import base64
import json
import selectors
import struct
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Protocol, TypedDict, cast

from charter.simulator.sandbox.base import Command, ExecResult, InfraError
from charter.simulator.sandbox.warm import SERVER, clients

#: Every other process of the sandbox killed (``--sweep``: a fork bomb or a daemon does
#: not outlive its step); shared with the docker sandbox's per-command driver.
SWEEP = r"""
KEEP = {1, os.getpid()}  # never swept: the keeper, the driver, its warm server

def others():
    found = []
    for p in os.listdir('/proc'):
        if p.isdigit() and int(p) not in KEEP:
            try:
                with open('/proc/%s/stat' % p) as f:
                    if f.read().rsplit(')', 1)[1].split()[0] != 'Z':
                        found.append(int(p))
            except (OSError, IndexError):
                pass
    return found

def sweep():
    for _ in range(200):
        pids = others()
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        time.sleep(0.01)
"""

PROGRAM = r"""
import base64, contextlib, io, json, os, signal, subprocess, sys, time
reply = os.fdopen(os.dup(1), 'w', encoding='utf-8')
null = os.open(os.devnull, os.O_RDWR)
os.dup2(null, 1)
SWEEP = '--sweep' in sys.argv[1:]

@SWEEP@class Late(BaseException):
    pass

def late(*_):
    raise Late()

signal.signal(signal.SIGALRM, late)
running = [0]  # the command running now (its process group), 0 when none

warm = []  # the warm server (warm.py) once started

def leave(*_):
    for group in [running[0], *(w.pid for w in warm)]:
        if group:
            try:
                os.killpg(group, signal.SIGKILL)
            except OSError:
                pass
    for server in warm:  # reaped, so its CPU counts in the driver's (bench/sim_overhead.py)
        server.wait()
    os._exit(0)

signal.signal(signal.SIGTERM, leave)

def run_exec(req):
    stdin = req.get('stdin')
    try:
        child = subprocess.Popen(
            req['argv'], cwd=req['cwd'], env=req['env'],
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    except OSError as exc:
        return {'code': 127, 'stdout': '', 'stderr': 'charter-sim: cannot run %r: %s\n'
                % (req['argv'][0], exc)}
    data = stdin.encode() if stdin is not None else None
    running[0] = child.pid
    try:
        out, err = child.communicate(data, timeout=req['timeout'])
        timed_out = False
    except subprocess.TimeoutExpired:
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except OSError:
            pass
        out, err = child.communicate()
        timed_out = True
    running[0] = 0
    if SWEEP:
        sweep()
    code = child.returncode
    return {'code': -9 if timed_out else (code if code >= 0 else 128 - code),
            'stdout': out.decode('utf-8', 'replace'), 'stderr': err.decode('utf-8', 'replace'),
            'timed_out': timed_out}

def run_charter(req):
    from charter.hooks.cli import main
    saved = dict(os.environ)
    os.environ.update(req.get('env') or {})
    out, err = io.StringIO(), io.StringIO()
    timed_out = False
    try:
        os.chdir(req['cwd'])
        signal.setitimer(signal.ITIMER_REAL, req['timeout'])
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(req['argv'])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except Late:
        code, timed_out = -9, True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        os.environ.clear()
        os.environ.update(saved)
    if SWEEP:
        sweep()
    return {'code': code, 'stdout': out.getvalue(), 'stderr': err.getvalue(),
            'timed_out': timed_out}

def run_write(req):
    os.makedirs(os.path.dirname(req['path']) or '.', exist_ok=True)
    with open(req['path'], 'wb') as f:
        f.write(base64.b64decode(req['data']))
    return {'code': 0}

def run_read(req):
    try:
        with open(req['path'], 'rb') as f:
            return {'code': 0, 'data': base64.b64encode(f.read()).decode()}
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return {'code': 1}

def run_warm(req):
    if not warm:
        server = subprocess.Popen(
            [sys.executable, '-I', '-c', req['server'], req['name']], cwd='/',
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=True)
        ready = server.stdout.readline().decode('utf-8', 'replace').strip()
        if ready != 'ready':
            server.kill()
            server.wait()
            return {'code': 1, 'stderr': ready}
        warm.append(server)
        KEEP.add(server.pid)
    os.makedirs(req['bin'], exist_ok=True)
    for name, text in req['clients'].items():
        path = os.path.join(req['bin'], name)
        with open(path, 'w') as f:
            f.write('#!%s -IS\n%s' % (sys.executable, text))
        os.chmod(path, 0o755)
    return {'code': 0}

OPS = {'exec': run_exec, 'charter': run_charter, 'write': run_write, 'read': run_read,
       'warm': run_warm}
reply.write('{"ready": true}\n')
reply.flush()
for line in sys.stdin:
    req = json.loads(line)
    began = time.perf_counter()
    try:
        answer = OPS[req['op']](req)
    except Exception as exc:
        answer = {'code': 127, 'stdout': '', 'stderr': 'charter-sim: driver: %s: %s\n'
                  % (type(exc).__name__, exc)}
    answer['seconds'] = time.perf_counter() - began
    reply.write(json.dumps(answer) + '\n')
    reply.flush()
leave()
""".replace("@SWEEP@", SWEEP)


class Answer(TypedDict, total=False):
    """One answer line of the driver (JSON at the process boundary, read only here)."""

    code: int
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool
    data: str


#: Seconds the host waits beyond a request's timeout before it gives the driver up.
GRACE = 15.0


class Channel(Protocol):
    """Bytes to and from one driver."""

    def send(self, data: bytes) -> None: ...

    def receive(self) -> bytes | None:
        """What has arrived of the driver's stdout (maybe b""); None at its end."""
        ...

    def fileno(self) -> int:
        """A descriptor that is readable when :meth:`receive` has something."""
        ...

    def kill(self) -> None:
        """Stop the driver, whatever it is doing."""
        ...


class Resident:
    """The host's side of one resident driver (see the module's docstring)."""

    def __init__(self, channel: Channel, where: str) -> None:
        self.channel = channel
        self.where = where
        self._buffer = b""
        self.broken: str | None = None
        self._answer(60.0, "start")

    def _line(self, deadline: float, what: str) -> bytes:
        with selectors.DefaultSelector() as selector:
            selector.register(self.channel.fileno(), selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    self.channel.kill()
                    self.broken = f"{what}: the {self.where} stopped answering and was killed"
                    raise InfraError(self.broken)
                chunk = self.channel.receive()
                if chunk is None:
                    self.broken = f"{what}: the {self.where} ended"
                    raise InfraError(self.broken)
                self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def _answer(self, timeout: float, what: str) -> Answer:
        line = self._line(time.monotonic() + timeout + GRACE, what)
        try:
            answer = json.loads(line)
        except ValueError:
            raise InfraError(f"{what}: the {self.where} answered {line[:200]!r}") from None
        if not isinstance(answer, dict):
            raise InfraError(f"{what}: the {self.where} answered {line[:200]!r}")
        return cast(Answer, answer)  # its values are checked where they are used

    def _ask(self, request: Mapping[str, object], timeout: float, what: str) -> Answer:
        if self.broken:
            raise InfraError(f"{what}: {self.broken}")
        try:
            self.channel.send(json.dumps(request).encode() + b"\n")
        except OSError as exc:
            self.broken = f"the {self.where} is gone ({exc})"
            raise InfraError(f"{what}: {self.broken}") from None
        return self._answer(timeout, what)

    def exec(self, command: Command) -> ExecResult:
        request: dict[str, object] = {"op": "exec", "argv": list(command.argv)}
        request.update(cwd=command.cwd, env=dict(command.env), timeout=command.timeout)
        request.update(stdin=command.stdin)
        return _result(self._ask(request, command.timeout, repr(command.argv[0])))

    def charter(
        self, argv: Sequence[str], cwd: str, env: Mapping[str, str], timeout: float
    ) -> ExecResult:
        request: dict[str, object] = {"op": "charter", "argv": list(argv), "cwd": cwd}
        request.update(env=dict(env), timeout=timeout)
        return _result(self._ask(request, timeout, f"charter {argv[0] if argv else ''}"))

    def write(self, path: str, data: bytes) -> None:
        request = {"op": "write", "path": path, "data": base64.b64encode(data).decode()}
        if self._ask(request, 60.0, f"write {path}").get("code") != 0:
            raise InfraError(f"cannot write {path} in the {self.where}")

    def read(self, path: str) -> bytes | None:
        answer = self._ask({"op": "read", "path": path}, 60.0, f"read {path}")
        return base64.b64decode(answer["data"]) if answer.get("code") == 0 else None

    def warm(self, bin_dir: str) -> str | None:
        """Start the warm hook server; None when it is up and its ``charter`` and
        ``pre-commit`` clients are in ``bin_dir``, else why it could not start."""
        name = f"charter-sim-warm-{uuid.uuid4().hex}"
        request: dict[str, object] = {"op": "warm", "server": SERVER, "name": name}
        request.update(bin=bin_dir, clients=clients(name))
        answer = self._ask(request, 60.0, "start the warm hook server")
        return None if answer.get("code") == 0 else str(answer.get("stderr") or "no answer")


def _result(answer: Answer) -> ExecResult:
    return ExecResult(
        int(answer["code"]),
        str(answer.get("stdout", "")),
        str(answer.get("stderr", "")),
        float(answer.get("seconds", 0.0)),
        timed_out=bool(answer.get("timed_out", False)),
    )


def demux(data: bytes) -> tuple[bytes, bytes]:
    """Docker's multiplexed stream (8-byte frame headers) split: (stdout, rest)."""
    out = bytearray()
    while len(data) >= 8:
        stream, size = data[0], struct.unpack(">I", data[4:8])[0]
        if len(data) < 8 + size:
            break
        if stream == 1:
            out += data[8 : 8 + size]
        data = data[8 + size :]
    return bytes(out), data


def command(python: str, sweep: bool) -> list[str]:
    return [python, "-I", "-c", PROGRAM, *(["--sweep"] if sweep else [])]
