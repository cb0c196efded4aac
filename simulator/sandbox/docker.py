"""The ``docker`` sandbox: one hardened container per run, driven by ``exec`` calls.

Each run gets a container of the sandbox image (``charter sim image build``) and a volume
for its files (mounted at :data:`ROOT`; ``work`` is the repository, ``tmp`` scratch,
``home`` the user's home). The container has no network, runs as a non-root user with
every capability dropped and ``no-new-privileges``, a read-only root file system (a tmpfs
at ``/tmp``), CPU, memory and process-count limits, and nothing of the host mounted: the
Docker socket least of all. (``--allow-endpoint`` mounts one read-only folder holding a
socket, through which the keeper reaches that endpoint and nothing else: endpoint.py.)

Timeouts are enforced inside the container. PID 1 is a tiny keeper (:data:`KEEPER`) that
reaps orphans and exits when the run's time is up, which stops the container and kills
everything in it. Every command runs under a driver (:data:`DRIVER`) that starts it in a
process group of its own and, past the step's timeout or when it ends, kills every other
process of the sandbox (not only the group: a fork bomb or a daemon does not survive its
step). A
watchdog on the host kills the container should both fail.

Containers and volumes carry the labels ``charter.sim`` (every sandbox),
``charter.sim.run`` (the run), ``charter.sim.session`` (one ``charter sim``
invocation) and ``charter.sim.owner`` (host and pid of the process that started it);
they are removed when the run ends, on errors and on Ctrl-C, and ``charter sim cleanup``
removes leftovers of a killed process.
"""

from __future__ import annotations

import contextlib
import io
import os
import posixpath
import socket
import tarfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from charter.hooks.errors import CharterError
from charter.simulator.sandbox import endpoint
from charter.simulator.sandbox.base import Command, ExecResult, InfraError, Sandbox, sandbox_env
from charter.simulator.sandbox.resident import SWEEP, Resident, command, demux

T = TypeVar("T")

#: Where the run's volume is mounted; sandbox paths are relative to it.
ROOT = "/sim"
UID = 1000
LABEL = "charter.sim"
RUN_LABEL = "charter.sim.run"
SESSION_LABEL = "charter.sim.session"
OWNER_LABEL = "charter.sim.owner"  # host:pid of the process that started it
DEFAULT_IMAGE = "charter-sim:latest"
#: Exit status and last stderr line of a command the driver killed at its timeout.
TIMEOUT_STATUS = 124
TIMEOUT_MARK = "charter-sim: step timed out"
#: Seconds the host waits beyond a step's timeout before it kills the container.
WATCHDOG_GRACE = 15.0

NOTICE = (
    "sandbox docker: one container per run, no network, non-root, no capabilities, "
    "read-only root, limits {limits}, image {image}"
)

# PID 1 of every sandbox: reap orphans; exit (stopping the container) at the deadline.
KEEPER = """\
import os, signal, sys
def reap(*_):
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return
def leave(*_):
    os._exit(0)
signal.signal(signal.SIGCHLD, reap)
signal.signal(signal.SIGTERM, leave)
signal.signal(signal.SIGALRM, leave)
signal.setitimer(signal.ITIMER_REAL, float(sys.argv[1]))
"""
KEEP_WAITING = """
while True:
    signal.pause()
"""

# Runs one step: argv[1] timeout, argv[2] stdin file ('' for none), then the command.
DRIVER = (
    """\
import os, signal, subprocess, sys, time
@SWEEP@
timeout, stdin, argv = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
try:
    child = subprocess.Popen(argv, stdin=open(stdin, 'rb') if stdin else subprocess.DEVNULL,
                             start_new_session=True)
except OSError as exc:
    sys.stderr.write('charter-sim: cannot run %r: %s\\n' % (argv[0], exc))
    sys.exit(127)
try:
    code = child.wait(timeout)
except subprocess.TimeoutExpired:
    sweep()
    sys.stderr.write('\\n@MARK@\\n')
    sys.stderr.flush()
    os._exit(@STATUS@)
sweep()
sys.exit(code if code >= 0 else 128 - code)
""".replace("@MARK@", TIMEOUT_MARK)
    .replace("@STATUS@", str(TIMEOUT_STATUS))
    .replace("@SWEEP@", SWEEP)
)


@dataclass(frozen=True)
class Limits:
    """What one sandbox may use; the CLI's ``--cpus``, ``--memory``, ``--pids-limit``."""

    cpus: float = 1.0
    memory: str = "1g"
    pids: int = 256
    run_timeout: float = 1800.0
    tmp_size: str = "256m"

    def __post_init__(self) -> None:
        if self.cpus <= 0:
            raise CharterError(f"--cpus {self.cpus}: give a positive number of CPUs")
        if self.pids < 16:
            raise CharterError(f"--pids-limit {self.pids}: give at least 16 processes")
        if self.run_timeout <= 0:
            raise CharterError(f"--run-timeout {self.run_timeout}: give positive seconds")
        memory_bytes(self.memory)

    def describe(self) -> str:
        return f"cpus={self.cpus:g} memory={self.memory} pids={self.pids}"


def memory_bytes(text: str) -> int:
    """``512m``/``2g``/bytes as a number of bytes; a clear error for anything else."""
    units = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
    raw = text.strip().lower()
    suffix = raw[-1:] if raw[-1:] in units and not raw[-1:].isdigit() else ""
    number = raw[: len(raw) - len(suffix)]
    try:
        value = int(float(number) * units[suffix])
    except ValueError:
        value = 0
    if value < 64 * 1024**2:
        raise CharterError(f"--memory {text!r}: give at least 64m (e.g. 512m, 2g)")
    return value


def connect(timeout: float = 60.0) -> Any:
    """A client of the Docker engine (``DOCKER_HOST`` or the local socket) that answers."""
    try:
        import docker
    except ImportError:
        raise CharterError(
            "the docker sandbox needs the Docker SDK: pip install 'charter[sim]'"
        ) from None
    try:
        client = docker.from_env(timeout=int(timeout))
        client.ping()
    except Exception as exc:
        where = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
        raise CharterError(
            f"no Docker engine answers at {where} ({type(exc).__name__}); start one "
            "(e.g. dockerd, see README 'Docker sandbox') or use --sandbox local"
        ) from None
    return client


def engine_answers() -> bool:
    try:
        connect(timeout=5).close()
    except CharterError:
        return False
    return True


def _tar(entries: Iterator[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in entries:
            info.uid = info.gid = UID
            info.uname = info.gname = "sim"
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def _dir_info(name: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, int(time.time())
    return info


def _parents(rel: str) -> Iterator[tuple[tarfile.TarInfo, bytes | None]]:
    parts = rel.split("/")[:-1]
    for i in range(1, len(parts) + 1):
        yield _dir_info("/".join(parts[:i])), None


class DockerSandbox(Sandbox):
    """One run's container and volume (see the module's docstring)."""

    name = "docker"
    isolates = True

    def __init__(
        self,
        client: Any,
        image: str,
        limits: Limits,
        label: str,
        session: str,
        resident: bool = True,
        warm: bool = True,
        endpoints: tuple[endpoint.Endpoint, ...] = (),
    ):
        self.client = client
        self.resident = resident
        self.warm = warm and resident
        self._driver: Resident | None = None
        self._stream: _Stream | None = None
        self.limits = limits
        self.run_id = f"{_safe(label)[:40]}-{uuid.uuid4().hex[:10]}"
        labels = {
            LABEL: "1",
            RUN_LABEL: self.run_id,
            SESSION_LABEL: session,
            OWNER_LABEL: f"{socket.gethostname()}:{os.getpid()}",
        }
        self.container: Any = None
        self.volume: Any = None
        self._killed = False
        self.deadline = time.monotonic() + limits.run_timeout
        self._forwarder: endpoint.HostForwarder | None = None
        try:
            self.volume = client.volumes.create(name=f"charter-sim-{self.run_id}", labels=labels)
            keeper, mounts, hosts = self._endpoints(endpoints)
            self.container = client.containers.run(
                image,
                ["python3", "-I", "-S", "-c", *keeper],
                name=f"charter-sim-{self.run_id}",
                detach=True,
                labels=labels,
                user=f"{UID}:{UID}",
                working_dir=ROOT,
                network_mode="none",
                cap_drop=["ALL"],
                security_opt=["no-new-privileges"],
                read_only=True,
                tmpfs={"/tmp": f"rw,exec,nosuid,nodev,size={limits.tmp_size},mode=1777"},
                volumes={self.volume.name: {"bind": ROOT, "mode": "rw"}, **mounts},
                extra_hosts=hosts,
                nano_cpus=int(limits.cpus * 1e9),
                mem_limit=memory_bytes(limits.memory),
                memswap_limit=memory_bytes(limits.memory),
                pids_limit=limits.pids,
                ipc_mode="private",
                auto_remove=False,
            )
            self._put([_dir_info(d) for d in ("work", "tmp", "home")])
        except Exception as exc:
            self.close()
            if isinstance(exc, InfraError):
                raise
            raise InfraError(f"cannot start a docker sandbox from {image}: {exc}") from exc
        self._env = {**_base_env(), **endpoint.env_value(endpoints, isolated=True)}

    def _endpoints(
        self, endpoints: tuple[endpoint.Endpoint, ...]
    ) -> tuple[list[str], dict[str, dict[str, str]], dict[str, str]]:
        """The keeper's program and arguments, the mounts and the ``/etc/hosts`` entries
        that let the container reach exactly ``endpoints`` (endpoint.py); none: none."""
        timeout = f"{self.limits.run_timeout:g}"
        if not endpoints:
            return [KEEPER + KEEP_WAITING, timeout], {}, {}
        self._forwarder = endpoint.HostForwarder(endpoints)
        inside = [f"{e.port}={endpoint.MOUNT}/{endpoint.socket_name(e)}" for e in endpoints]
        mounts = {self._forwarder.folder: {"bind": endpoint.MOUNT, "mode": "ro"}}
        hosts = {e.host: "127.0.0.1" for e in endpoints if e.is_name}
        return [KEEPER + endpoint.INSIDE + KEEP_WAITING, timeout, *inside], mounts, hosts

    # -- files ------------------------------------------------------------------------

    def path(self, rel: str) -> str:
        return posixpath.join(ROOT, _rel(rel)) if rel not in ("", ".") else ROOT

    def _put(self, infos: list[tarfile.TarInfo], data: list[bytes | None] | None = None) -> None:
        payload = _tar(zip(infos, data or [None] * len(infos), strict=True))
        try:
            self.container.put_archive(ROOT, payload)
        except Exception as exc:
            raise InfraError(f"cannot copy files into the sandbox: {exc}") from exc

    def put_dir(self, source: Path, dest: str) -> None:
        dest = _rel(dest)
        entries: list[tuple[tarfile.TarInfo, bytes | None]] = [*_parents(dest + "/x")]
        try:
            for path in sorted([source, *source.rglob("*")]):
                rel = path.relative_to(source).as_posix()
                name = dest if rel == "." else f"{dest}/{rel}"
                info = tarfile.TarInfo(name)
                stat = path.lstat()
                info.mtime, info.mode = int(stat.st_mtime), stat.st_mode & 0o777
                if path.is_symlink():
                    info.type, info.linkname = tarfile.SYMTYPE, os.readlink(path)
                    entries.append((info, None))
                elif path.is_dir():
                    info.type = tarfile.DIRTYPE
                    entries.append((info, None))
                else:
                    data = path.read_bytes()
                    info.size = len(data)
                    entries.append((info, data))
        except OSError as exc:
            raise InfraError(f"cannot copy {source} into the sandbox: {exc}") from exc
        self._put([e[0] for e in entries], [e[1] for e in entries])

    def write(self, dest: str, data: bytes) -> None:
        if self.resident:
            self._driven(lambda driver: driver.write(self.path(dest), data), f"write {dest}")
            return
        dest = _rel(dest)
        info = tarfile.TarInfo(dest)
        info.size, info.mode, info.mtime = len(data), 0o644, int(time.time())
        parents = [e[0] for e in _parents(dest)]
        self._put([*parents, info], [*([None] * len(parents)), data])

    def read(self, rel: str) -> bytes | None:
        if self.resident:
            return self._driven(lambda driver: driver.read(self.path(rel)), f"read {rel}")
        import docker.errors

        try:
            chunks, _ = self.container.get_archive(self.path(rel))
            raw = b"".join(chunks)
        except docker.errors.NotFound:
            return None
        except Exception as exc:
            raise InfraError(f"cannot read {rel} from the sandbox: {exc}") from exc
        with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
            first = tar.next()
            if first is None or not first.isfile():
                return None
            handle = tar.extractfile(first)
            return handle.read() if handle is not None else None

    # -- commands ---------------------------------------------------------------------

    def _alone(self, command: Command) -> ExecResult:
        argv, cwd, timeout, stdin = command.argv, command.cwd, command.timeout, command.stdin
        stdin_path = ""
        if stdin is not None:
            stdin_path = self.path(f"tmp/.stdin-{uuid.uuid4().hex[:8]}")
            self.write(stdin_path[len(ROOT) + 1 :], stdin.encode())
        driven = ["python3", "-I", "-S", "-c", DRIVER, f"{timeout:g}", stdin_path, *argv]
        api = self.client.api
        start = time.perf_counter()
        watchdog = threading.Timer(timeout + WATCHDOG_GRACE, self._kill)
        watchdog.daemon = True
        try:
            exec_id = api.exec_create(
                self.container.id,
                driven,
                user=f"{UID}:{UID}",
                workdir=self.path(cwd),
                environment=dict(command.env),
            )["Id"]
            watchdog.start()
            out, err = api.exec_start(exec_id, demux=True)
            code = api.exec_inspect(exec_id)["ExitCode"]
        except Exception as exc:
            raise self._failure(f"cannot run {argv[0]!r} in the sandbox: {exc}") from exc
        finally:
            watchdog.cancel()
        seconds = time.perf_counter() - start
        stdout = (out or b"").decode("utf-8", "replace")
        stderr = (err or b"").decode("utf-8", "replace")
        out_of_time = time.monotonic() >= self.deadline  # the keeper stops the container
        died = code is None or code >= 128
        if self._killed or out_of_time or (died and not self._running()):
            raise self._failure(f"{argv[0]!r} did not finish")
        if code == TIMEOUT_STATUS and stderr.rstrip().endswith(TIMEOUT_MARK):
            stderr = stderr.rstrip()[: -len(TIMEOUT_MARK)]
            return ExecResult(-9, stdout, stderr, seconds, timed_out=True)
        return ExecResult(int(code), stdout, stderr, seconds)

    def _driven(self, call: Callable[[Resident], T], what: str) -> T:
        """``call`` on the resident driver; its failure as the sandbox's InfraError."""
        try:
            return call(self._resident())
        except InfraError as exc:
            raise self._failure(f"{what}: {exc}") from exc

    def _resident(self) -> Resident:
        """The run's driver, started on first use by one ``docker exec``."""
        if self._driver is not None:
            return self._driver
        api = self.client.api
        try:
            exec_id = api.exec_create(
                self.container.id,
                command("python3", sweep=True),
                stdin=True,
                user=f"{UID}:{UID}",
                workdir=ROOT,
                environment=self._env,
            )["Id"]
            self._stream = _Stream(api.exec_start(exec_id, socket=True), self._kill)
        except Exception as exc:
            raise InfraError(f"cannot start the sandbox's driver: {exc}") from exc
        self._driver = Resident(self._stream, "docker sandbox's driver")
        return self._driver

    def _running(self) -> bool:
        try:
            self.container.reload()
        except Exception:
            return False
        return bool(self.container.status == "running")

    def _failure(self, message: str) -> InfraError:
        if self._killed:
            return InfraError(f"{message}: the sandbox stopped answering and was killed")
        if time.monotonic() >= self.deadline:
            return InfraError(
                f"{message}: the run's time ({self.limits.run_timeout:g} s) is up, "
                "the sandbox stopped"
            )
        if not self._running():
            return InfraError(f"{message}: the sandbox container stopped")
        return InfraError(message)

    def _kill(self) -> None:
        self._killed = True
        with contextlib.suppress(Exception):
            self.container.kill()

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = self._driver = None
        if self.container is not None:
            with contextlib.suppress(Exception):
                self.container.remove(force=True, v=True)
        if self.volume is not None:
            for _ in range(20):  # a volume is busy until its container is gone
                try:
                    self.volume.remove(force=True)
                    break
                except Exception as exc:
                    if "not found" in str(exc).lower() or "no such" in str(exc).lower():
                        break
                    time.sleep(0.1)
        self.container = self.volume = None
        if self._forwarder is not None:
            self._forwarder.close()
            self._forwarder = None


class _Stream:
    """The resident driver's channel: the hijacked socket of its ``docker exec``."""

    def __init__(self, sock: Any, kill: Callable[[], None]) -> None:
        self.sock = getattr(sock, "_sock", sock)
        self.kill = kill
        self.pending = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def receive(self) -> bytes | None:
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            return None
        out, self.pending = demux(self.pending + chunk)
        return bytes(out)

    def fileno(self) -> int:
        return int(self.sock.fileno())

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


def _rel(rel: str) -> str:
    norm = posixpath.normpath(rel)
    if rel.startswith("/") or norm == ".." or norm.startswith("../"):
        raise InfraError(f"sandbox path {rel!r} leaves the sandbox")
    return norm


def _safe(label: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "-" for c in label).strip("-.") or "run"


def _base_env() -> dict[str, str]:
    """The same environment as the local sandbox's, with the container's paths."""
    return {
        "PATH": "/opt/charter/bin:/usr/local/bin:/usr/bin:/bin",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        **sandbox_env(f"{ROOT}/home"),
    }


class DockerBackend:
    name = "docker"
    isolates = True

    def __init__(
        self,
        image: str | None = None,
        limits: Limits | None = None,
        session: str = "",
        resident: bool = True,
        warm: bool = True,
        endpoints: tuple[endpoint.Endpoint, ...] = (),
    ) -> None:
        self.resident = resident
        self.warm = warm
        self.endpoints = endpoints
        self.image = image or os.environ.get("CHARTER_SIM_IMAGE") or DEFAULT_IMAGE
        self.limits = limits or Limits()
        self.session = session or uuid.uuid4().hex[:12]
        self.client = connect(timeout=self.limits.run_timeout + 60)
        self._check_image()
        self.notice = NOTICE.format(limits=self.limits.describe(), image=self.image)
        if endpoints:
            allowed = ", ".join(str(e) for e in endpoints)
            self.notice = self.notice.replace("no network", f"no network but {allowed}")

    def _check_image(self) -> None:
        import docker.errors

        try:
            self.client.images.get(self.image)
        except docker.errors.ImageNotFound:
            raise CharterError(
                f"--image {self.image}: no such image on this Docker engine; build it with "
                "`charter sim image build --base-image IMAGE` (README 'Docker sandbox')"
            ) from None

    def start(self, label: str) -> DockerSandbox:
        return DockerSandbox(
            self.client,
            self.image,
            self.limits,
            label,
            self.session,
            self.resident,
            self.warm,
            self.endpoints,
        )


def _orphaned(labels: Mapping[str, str]) -> bool:
    """True when the process that started a sandbox (on this host) is gone."""
    host, _, pid = labels.get(OWNER_LABEL, "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def cleanup(client: Any, session: str | None = None, everything: bool = False) -> tuple[int, int]:
    """Remove sandbox containers and volumes: of ``session``; else every one whose owner
    process is gone (``everything``: all of them, also of running simulations)."""
    selector = f"{SESSION_LABEL}={session}" if session else LABEL

    def chosen(labels: Mapping[str, str]) -> bool:
        return bool(session) or everything or _orphaned(labels)

    removed_containers = removed_volumes = 0
    for container in client.containers.list(all=True, filters={"label": selector}):
        if chosen(container.labels):
            with contextlib.suppress(Exception):
                container.remove(force=True, v=True)
                removed_containers += 1
    for volume in client.volumes.list(filters={"label": selector}):
        if chosen(volume.attrs.get("Labels") or {}):
            with contextlib.suppress(Exception):
                volume.remove(force=True)
                removed_volumes += 1
    return removed_containers, removed_volumes
