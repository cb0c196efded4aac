"""Where replays run: the :class:`~charter.simulator.sandbox.base.Sandbox` interface.

``docker`` (one hardened container per run) and ``local`` (temporary folders and
subprocesses, no isolation). The default, ``auto``, is ``docker`` when a Docker engine
answers and has the sandbox image, else ``local``; ``CHARTER_SIM_SANDBOX`` sets another
default. The choice and its reason are printed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from charter.hooks.errors import CharterError
from charter.simulator.sandbox.base import Backend
from charter.simulator.sandbox.endpoint import Endpoint

BACKENDS = ("local", "docker")


@dataclass(frozen=True)
class Spec:
    """A backend by name with its options: picklable, for parallel runs."""

    name: str
    image: str | None = None
    cpus: float = 1.0
    memory: str = "1g"
    pids: int = 256
    run_timeout: float = 1800.0
    session: str = ""
    reason: str = field(default="", compare=False)
    #: One long-lived driver per sandbox (False: a process per command, as before
    #: issue 18; bench/sim_overhead.py measures both in one run).
    resident: bool = True
    #: With a resident driver, pre-commit and Charter's hooks forked from a warm,
    #: pre-imported process (sandbox/warm.py); False: each a new Python, as a user's.
    warm: bool = True
    #: ``--allow-endpoint``: what a docker sandbox may reach (sandbox/endpoint.py).
    endpoints: tuple[Endpoint, ...] = ()


def choose(requested: str | None) -> tuple[str, str]:
    """The backend to use for ``--sandbox requested`` (None/auto: pick one) and why."""
    name = requested or os.environ.get("CHARTER_SIM_SANDBOX") or "auto"
    if name != "auto":
        how = "--sandbox" if requested else "CHARTER_SIM_SANDBOX"
        return name, f"{how} {name}"
    from charter.simulator.sandbox import docker

    try:
        client = docker.connect(timeout=5)
    except CharterError:
        return "local", "auto: no Docker engine answers"
    try:
        image = os.environ.get("CHARTER_SIM_IMAGE") or docker.DEFAULT_IMAGE
        client.images.get(image)
    except Exception:
        return "local", f"auto: the Docker engine has no image {image} (charter sim image build)"
    finally:
        client.close()
    return "docker", "auto: a Docker engine answers"


def backend(spec: str | Spec) -> Backend:
    """The sandbox backend of ``spec``; an unknown or unavailable one is a usage error."""
    if isinstance(spec, str):
        spec = Spec(spec)
    if spec.name == "local":
        from charter.simulator.sandbox.local import LocalBackend

        return LocalBackend(spec.resident, spec.warm, spec.endpoints)
    if spec.name == "docker":
        from charter.simulator.sandbox.docker import DockerBackend, Limits

        limits = Limits(spec.cpus, spec.memory, spec.pids, spec.run_timeout)
        return DockerBackend(
            spec.image, limits, spec.session, spec.resident, spec.warm, spec.endpoints
        )
    raise CharterError(
        f"--sandbox {spec.name}: unknown sandbox; use one of auto, {', '.join(BACKENDS)}"
    )
