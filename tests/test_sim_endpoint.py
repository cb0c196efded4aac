"""``--allow-endpoint HOST:PORT`` (issue 17): a sandbox reaches its model and nothing else.

The docker tests run a real HTTP server on the host: through the allowed endpoint it
answers from inside a real container; another port of the host, the host's address on
Docker's bridge and any name stay unreachable. They need a Docker engine (conftest.py:
they fail when CI=true and none answers).
"""

from __future__ import annotations

import contextlib
import http.server
import io
import os
import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from charter.hooks import cli
from charter.hooks.errors import CharterError
from charter.simulator.sandbox import endpoint
from charter.simulator.sandbox.docker import DockerBackend, Limits
from charter.simulator.sandbox.local import LocalBackend

pytestmark = pytest.mark.sim

FETCH = """\
import os, sys, urllib.request
print(os.environ.get('CHARTER_MODEL_ENDPOINT'))
for url in sys.argv[1:]:
    try:
        print(url, urllib.request.urlopen(url, timeout=5).read().decode())
    except Exception as exc:
        print(url, 'unreachable', type(exc).__name__)
"""


class _Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = f"model on port {self.server.server_address[1]}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def two_servers() -> Iterator[tuple[int, int]]:
    """Two HTTP servers on the host's loopback: the model, and a port not allowed."""
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hello) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield servers[0].server_address[1], servers[1].server_address[1]
    for server in servers:
        server.shutdown()
        server.server_close()


def test_endpoints_are_parsed_and_bad_ones_named() -> None:
    assert endpoint.Endpoint.parse("api.example.com:443").inside() == "api.example.com:443"
    assert endpoint.Endpoint.parse("10.0.0.5:8000").inside() == "127.0.0.1:8000"
    assert str(endpoint.Endpoint.parse("[::1]:8000")) == "[::1]:8000"
    for bad in ("localhost", "localhost:0", ":80", "host:99999", "a b:80", "user@h:80"):
        with pytest.raises(CharterError, match="--allow-endpoint"):
            endpoint.Endpoint.parse(bad)
    with pytest.raises(CharterError, match="two endpoints on port 80"):
        endpoint.parse_all(["a.example:80", "b.example:80"])


def test_a_bad_endpoint_is_a_usage_error_of_the_command(tmp_path: Any) -> None:
    err = io.StringIO()
    argv = [
        "sim",
        "run",
        "--set",
        "b",
        "--sandbox",
        "local",
        "--allow-endpoint",
        "nohost",
        str(tmp_path),
    ]
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(argv)
    assert code == 2 and "--allow-endpoint 'nohost': give HOST:PORT" in err.getvalue()


def test_the_local_sandbox_only_tells_the_agent_where_its_model_is(
    two_servers: tuple[int, int],
) -> None:
    """No isolation there: the variable is set, and every port stays reachable."""
    model, other = two_servers
    allowed = (endpoint.Endpoint("127.0.0.1", model),)
    box = LocalBackend(endpoints=allowed).start("endpoint")
    try:
        urls = [f"http://127.0.0.1:{model}/", f"http://127.0.0.1:{other}/"]
        out = box.exec(["python3", "-c", FETCH, *urls], cwd="tmp").stdout.splitlines()
    finally:
        box.close()
    assert out[0] == f"127.0.0.1:{model}"
    assert out[2] == f"{urls[1]} model on port {other}"


@pytest.mark.docker
def test_a_docker_sandbox_reaches_the_allowed_endpoint_and_nothing_else(
    docker_client: Any, sandbox_image: str, two_servers: tuple[int, int]
) -> None:
    model, other = two_servers
    allowed = (endpoint.Endpoint("localhost", model),)
    limits = Limits(cpus=0.5, memory="256m", pids=64, run_timeout=300)
    session = f"test-{uuid.uuid4().hex[:8]}"
    backend = DockerBackend(sandbox_image, limits, session, endpoints=allowed)
    assert f"no network but localhost:{model}" in backend.notice
    box = backend.start("endpoint")
    folder = box._forwarder.folder if box._forwarder else ""
    try:
        urls = [
            f"http://localhost:{model}/",  # the endpoint, by the name the user gave
            f"http://127.0.0.1:{model}/",
            f"http://127.0.0.1:{other}/",  # another port of the host
            f"http://172.17.0.1:{other}/",  # the host on Docker's default bridge
            "http://example.com/",  # anything else
        ]
        result = box.exec(["python3", "-c", FETCH, *urls], cwd="tmp")
        assert box.exec(["id", "-u"], cwd="tmp").stdout.strip() == "1000"  # still hardened
    finally:
        box.close()
    lines = result.stdout.splitlines()
    assert lines[0] == f"localhost:{model}", result.output  # CHARTER_MODEL_ENDPOINT
    assert lines[1] == f"{urls[0]} model on port {model}"
    assert lines[2] == f"{urls[1]} model on port {model}"
    assert lines[3].startswith(f"{urls[2]} unreachable")
    assert lines[4].startswith(f"{urls[3]} unreachable")
    assert lines[5].startswith(f"{urls[4]} unreachable")
    assert folder and not os.path.exists(folder)  # the host's socket folder went with it
