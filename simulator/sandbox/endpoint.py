"""``--allow-endpoint HOST:PORT``: a sandbox without network that reaches one endpoint.

A live agent (``--agent-cmd``) needs its model; the docker sandbox has no network. With
``--allow-endpoint`` the container still has none (``--network none``: only loopback),
but it can reach exactly the named endpoints, through two small forwarders and a Unix
socket, with no firewall rule and no privilege:

- on the host, :class:`HostForwarder` listens on a Unix socket per endpoint, in a private
  folder mounted read-only into the container at :data:`MOUNT`, and connects each
  client to ``HOST:PORT`` (so ``localhost`` means the host's);
- in the container, PID 1 (the docker sandbox's keeper) listens on ``127.0.0.1:PORT``
  and connects each client to that socket (:data:`INSIDE`, added to the keeper).

Nothing else is reachable: no other port of the host, no other address. The agent finds
the endpoint in ``CHARTER_MODEL_ENDPOINT`` (``HOST:PORT``; a host name is mapped to
``127.0.0.1`` in the container's ``/etc/hosts``, so TLS names still match). The local
sandbox does not isolate: there the option only sets ``CHARTER_MODEL_ENDPOINT``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from charter.hooks.errors import CharterError

#: The variable that tells the agent where its model is.
ENV = "CHARTER_MODEL_ENDPOINT"
#: Where the host's socket folder is mounted in the container.
MOUNT = "/run/charter-endpoint"


@dataclass(frozen=True)
class Endpoint:
    """One allowed endpoint, ``HOST:PORT`` (``[::1]:PORT`` for an IPv6 address)."""

    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> Endpoint:
        host, sep, port = text.strip().rpartition(":")
        host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise CharterError(
                f"--allow-endpoint {text!r}: give HOST:PORT, e.g. 127.0.0.1:8000 or "
                "api.example.com:443 (a port from 1 to 65535)"
            )
        if any(c.isspace() or c in "/@" for c in host):
            raise CharterError(f"--allow-endpoint {text!r}: {host!r} is not a host name")
        return cls(host, int(port))

    @property
    def is_name(self) -> bool:
        """A host name (not an address): the container maps it to its loopback."""
        try:
            ipaddress.ip_address(self.host)
        except ValueError:
            return True
        return False

    def inside(self) -> str:
        """What the agent in the container connects to (``CHARTER_MODEL_ENDPOINT``)."""
        return f"{self.host}:{self.port}" if self.is_name else f"127.0.0.1:{self.port}"

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_all(texts: Sequence[str]) -> tuple[Endpoint, ...]:
    """The ``--allow-endpoint`` values; two on one port is an error (one listener each)."""
    endpoints = tuple(Endpoint.parse(t) for t in texts)
    ports = [e.port for e in endpoints]
    for endpoint in endpoints:
        if ports.count(endpoint.port) > 1:
            raise CharterError(
                f"--allow-endpoint: two endpoints on port {endpoint.port}; the sandbox "
                "listens on each endpoint's port, so give each its own"
            )
    return endpoints


def env_value(endpoints: Sequence[Endpoint], isolated: bool) -> dict[str, str]:
    """``CHARTER_MODEL_ENDPOINT`` for a sandbox's commands (the first endpoint's)."""
    if not endpoints:
        return {}
    first = endpoints[0]
    return {ENV: first.inside() if isolated else str(first)}


def socket_name(endpoint: Endpoint) -> str:
    return f"{endpoint.port}.sock"


def _pump(source: socket.socket, sink: socket.socket) -> None:
    """Copy bytes one way until the end; then end that direction of the other side."""
    try:
        while chunk := source.recv(1 << 16):
            sink.sendall(chunk)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


def _join(one: socket.socket, other: socket.socket) -> None:
    """Both directions of a forwarded connection; both sockets closed at the end."""
    back = threading.Thread(target=_pump, args=(other, one), daemon=True)
    back.start()
    _pump(one, other)
    back.join()
    one.close()
    other.close()


class HostForwarder:
    """The host's side: a Unix socket per endpoint, each connection sent to HOST:PORT."""

    def __init__(self, endpoints: Sequence[Endpoint]) -> None:
        self.folder = tempfile.mkdtemp(prefix="charter-endpoint-")
        os.chmod(self.folder, 0o755)  # the container's user (uid 1000) passes through
        self._listeners: list[socket.socket] = []
        try:
            for endpoint in endpoints:
                self._listen(endpoint)
        except OSError as exc:
            self.close()
            raise CharterError(f"--allow-endpoint: cannot listen for the sandbox: {exc}") from exc

    def _listen(self, endpoint: Endpoint) -> None:
        path = os.path.join(self.folder, socket_name(endpoint))
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        os.chmod(path, 0o666)  # connecting to a socket takes write permission on it
        listener.listen(16)
        self._listeners.append(listener)
        threading.Thread(target=self._serve, args=(listener, endpoint), daemon=True).start()

    def _serve(self, listener: socket.socket, endpoint: Endpoint) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # closed: the sandbox is gone
                return
            threading.Thread(target=self._forward, args=(client, endpoint), daemon=True).start()

    @staticmethod
    def _forward(client: socket.socket, endpoint: Endpoint) -> None:
        try:
            upstream = socket.create_connection((endpoint.host, endpoint.port), timeout=30)
        except OSError:
            client.close()  # the agent sees its connection closed, as with a refusal
            return
        upstream.settimeout(None)
        _join(client, upstream)

    def close(self) -> None:
        for listener in self._listeners:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        self._listeners = []
        shutil.rmtree(self.folder, ignore_errors=True)


#: The container's side, run in the keeper (PID 1, never swept): argv ``PORT=SOCKET``
#: after the run's timeout; each listens on 127.0.0.1:PORT and forwards to SOCKET.
INSIDE = r"""
import socket, threading
def pump(source, sink):
    try:
        while True:
            chunk = source.recv(65536)
            if not chunk:
                break
            sink.sendall(chunk)
    except OSError:
        pass
    try:
        sink.shutdown(socket.SHUT_WR)
    except OSError:
        pass
def join(one, other):
    back = threading.Thread(target=pump, args=(other, one), daemon=True)
    back.start()
    pump(one, other)
    back.join()
    one.close()
    other.close()
def forward(client, path):
    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        upstream.connect(path)
    except OSError:
        client.close()
        upstream.close()
        return
    join(client, upstream)
def serve(listener, path):
    while True:
        client, _ = listener.accept()
        threading.Thread(target=forward, args=(client, path), daemon=True).start()
for spec in sys.argv[2:]:
    port, path = spec.split('=', 1)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('127.0.0.1', int(port)))
    listener.listen(16)
    threading.Thread(target=serve, args=(listener, path), daemon=True).start()
"""
