"""Where replays run: the :class:`~charter.simulator.sandbox.base.Sandbox` interface.

``local`` (temporary folders and subprocesses) is built; ``docker`` plugs into the same
interface.
"""

from __future__ import annotations

from charter.hooks.errors import CharterError
from charter.simulator.sandbox.base import Backend

BACKENDS = ("local", "docker")


def backend(name: str) -> Backend:
    """The sandbox backend called ``name``; an unknown or unbuilt one is a usage error."""
    if name == "local":
        from charter.simulator.sandbox.local import LocalBackend

        return LocalBackend()
    if name == "docker":
        raise CharterError(
            "--sandbox docker: the Docker sandbox is not built yet; use --sandbox local "
            "(which does not isolate the replayed commands)"
        )
    raise CharterError(f"--sandbox {name}: unknown sandbox; use one of {', '.join(BACKENDS)}")
