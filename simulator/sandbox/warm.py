"""Warm hooks: pre-commit and Charter's hooks forked from a pre-imported process.

A hooked ``git commit`` starts pre-commit, which starts ``charter check --staged`` and
``charter commit-msg``: three Python processes whose start-up and imports cost ~150-250
ms of CPU each, most of a try's cost (``bench/sim_overhead.py``). What they *do* is cheap.

The warm server is started once per sandbox by its resident driver (resident.py). It
imports pre-commit and Charter's hook path once, then listens on an abstract Unix socket.
The client scripts it writes (``pre-commit`` and ``charter``) connect to it and hand over
their argv, working directory, environment and standard streams (as file descriptors);
the server forks a child that takes them over and runs ``pre_commit.main.main(argv)`` or
``charter.hooks.cli.main(argv)``, and the client exits with the child's status. So the
set under test is still judged by a real ``git commit`` running the git hook, real
pre-commit reading the repository's config and running its hooks, and Charter's code
on the repository: each call in a process of its own (forked, so nothing it caches
outlives it), only without the interpreter's start-up and imports.

A client that finds no server runs its command cold (the same command, a new Python);
one whose server dies mid-call says so with :data:`LOST` (an infrastructure error). A
client that is killed (the step's timeout) closes its connection, and the server kills
its child's process group.
"""

from __future__ import annotations

#: The client's last words when the server died under it (the replay raises InfraError).
LOST = "charter-sim: the warm hook server is gone"

#: The server: ``python -I -c SERVER NAME``; "ready" on stdout once it listens.
SERVER = r"""
import gc, importlib, json, os, selectors, signal, socket, struct, sys, traceback
NAME = sys.argv[1]
PRELOAD = ('charter.hooks.commands.check', 'charter.hooks.commands.commit_msg',
           'charter.hooks.verdict', 'charter.hooks.engine', 'charter.hooks.governance',
           'charter.hooks.journal', 'charter.hooks.report.text', 'pre_commit.commands.hook_impl',
           'pre_commit.commands.run')
try:
    from charter.hooks.cli import main as charter_main
    from pre_commit.main import main as pre_commit_main
    for module in PRELOAD:
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    MAINS = {'charter': charter_main, 'pre-commit': pre_commit_main}
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind('\0' + NAME)
    listener.listen(64)
except Exception as exc:
    print('error: %s: %s' % (type(exc).__name__, exc), flush=True)
    sys.exit(1)

def child(conn, fds, request):
    # A process of its own for the call: its own session (killed as one group), the
    # client's streams, directory and environment, default signal handling.
    try:
        os.setsid()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        listener.close()
        conn.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request['cwd'])
        os.environ.clear()
        os.environ.update(request['env'])
        sys.argv = [request['target'], *request['argv']]
        gc.unfreeze()
        code = MAINS[request['target']](request['argv'])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code if isinstance(code, int) and 0 <= code < 256 else 1)

def serve():
    wake_r, wake_w = socket.socketpair()
    wake_r.setblocking(False)
    wake_w.setblocking(False)
    signal.set_wakeup_fd(wake_w.fileno())
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, 'accept')
    selector.register(wake_r, selectors.EVENT_READ, 'reap')
    selector.register(sys.stdin, selectors.EVENT_READ, 'parent')  # EOF: the driver is gone
    calls = {}  # child pid -> the client's connection
    gc.freeze()  # the children share the imported modules' pages instead of copying them
    print('ready', flush=True)
    while True:
        for key, _ in selector.select():
            if key.data == 'parent':
                for pid in calls:
                    try:
                        os.killpg(pid, signal.SIGKILL)
                    except OSError:
                        pass
                os._exit(0)
            if key.data == 'accept':
                conn, _ = listener.accept()
                try:
                    data, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
                    request = json.loads(data)
                except (OSError, ValueError):
                    conn.close()
                    continue
                pid = os.fork()
                if pid == 0:
                    child(conn, fds, request)
                for fd in fds:
                    os.close(fd)
                calls[pid] = conn
                selector.register(conn, selectors.EVENT_READ, pid)
            elif key.data == 'reap':
                try:
                    while wake_r.recv(4096):
                        pass
                except BlockingIOError:
                    pass
                while calls:
                    try:
                        pid, status = os.waitpid(-1, os.WNOHANG)
                    except ChildProcessError:
                        break
                    if pid == 0:
                        break
                    conn = calls.pop(pid, None)
                    if conn is None:
                        continue
                    code = os.waitstatus_to_exitcode(status)
                    selector.unregister(conn)
                    try:
                        conn.send(struct.pack('>i', code if code >= 0 else 128 - code))
                    except OSError:
                        pass
                    conn.close()
            else:  # the client went away mid-call (killed at its timeout): so does the call
                try:
                    os.killpg(key.data, signal.SIGKILL)
                except OSError:
                    pass

serve()
"""

#: A client script (the driver puts ``#!PYTHON -IS`` on top), @NAME@ and @TARGET@ filled in.
CLIENT = r"""
import json, os, socket, struct, sys
NAME, TARGET = '@NAME@', '@TARGET@'
COLD = {'charter': ['-c', 'import sys\nfrom charter.hooks.cli import main\nsys.exit(main())'],
        'pre-commit': ['-m', 'pre_commit']}
argv = sys.argv[1:]
try:
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    conn.connect('\0' + NAME)
except OSError:
    os.execv(sys.executable, [sys.executable, *COLD[TARGET], *argv])
fds = []
for fd in (0, 1, 2):
    try:
        os.fstat(fd)
        fds.append(fd)
    except OSError:
        fds.append(os.open(os.devnull, os.O_RDWR))
request = {'target': TARGET, 'argv': argv, 'cwd': os.getcwd(), 'env': dict(os.environ)}
socket.send_fds(conn, [json.dumps(request).encode()], fds)
answer = conn.recv(4)
if len(answer) != 4:
    sys.stderr.write('\n%s\n' % LOST)
    sys.exit(3)
sys.exit(struct.unpack('>i', answer)[0])
"""


TARGETS = ("charter", "pre-commit")


def clients(name: str) -> dict[str, str]:
    """The client scripts, by file name (``charter``, ``pre-commit``), for server ``name``;
    the driver writes them with its own interpreter on the ``#!`` line."""
    head = f"LOST = {LOST!r}\n"
    return {t: head + CLIENT.replace("@NAME@", name).replace("@TARGET@", t) for t in TARGETS}


def hook(client_path: str, hook_type: str, hook_dir: str) -> str:
    """A git hook that runs pre-commit's ``hook-impl`` through the warm client, with the
    arguments pre-commit's own hook script passes."""
    return (
        "#!/bin/sh\n# Written by charter sim: pre-commit's hook, run by the warm server.\n"
        f'exec "{client_path}" hook-impl --config=.pre-commit-config.yaml '
        f'--hook-type={hook_type} --hook-dir "{hook_dir}" -- "$@"\n'
    )
