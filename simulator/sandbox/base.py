"""The sandbox interface every backend implements (``local`` now, ``docker`` next).

A sandbox is one run's private file system and process space, seen through paths
relative to its root (``work`` is the repository, ``tmp`` scratch space, ...): the
replay never touches the host paths behind them. It starts with :meth:`Backend.start`,
lays files down with :meth:`Sandbox.put_dir`/:meth:`Sandbox.write`, runs commands with a
timeout and an environment with :meth:`Sandbox.exec`, reads files back, and is removed
with :meth:`Sandbox.close`. A failure of the sandbox itself (it cannot start, a command
cannot be started, the harness times out) raises :class:`InfraError`: the replay keeps it
apart from outcomes, never as a block.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from charter.hooks.errors import CharterError

if TYPE_CHECKING:
    from charter.simulator.sandbox.resident import Resident

T = TypeVar("T")


class InfraError(CharterError):
    """The sandbox failed (not the code under test): counted apart, never a block."""


@dataclass(frozen=True)
class ExecResult:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass(frozen=True)
class Command:
    """One command for a sandbox; ``env`` is complete (the sandbox's and the caller's)."""

    argv: tuple[str, ...]
    cwd: str
    env: Mapping[str, str]
    timeout: float
    stdin: str | None = None


def sandbox_env(home: str) -> dict[str, str]:
    """What every sandbox's commands see besides PATH: a home of their own, no user or
    system git config, one identity and date (so commit ids repeat), no colours."""
    return {
        "HOME": home,
        "PRE_COMMIT_HOME": f"{home}/.cache/pre-commit",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": f"{home}/.gitconfig",
        "GIT_AUTHOR_NAME": "charter-sim",
        "GIT_AUTHOR_EMAIL": "sim@charter.invalid",
        "GIT_COMMITTER_NAME": "charter-sim",
        "GIT_COMMITTER_EMAIL": "sim@charter.invalid",
        "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00",
        "PYTHONDONTWRITEBYTECODE": "1",
        "NO_COLOR": "1",
        "TERM": "dumb",
    }


class Sandbox(ABC):
    """One started sandbox. Paths are POSIX, relative to the sandbox root.

    A backend lays files down and runs a command as a process of its own; how a command
    reaches the resident driver (resident.py), and the warm hook server through it, is
    the same for every backend and written here once.
    """

    #: The backend's name (``local``, ``docker``).
    name: str
    #: False when commands can reach the host (files, network, processes).
    isolates: bool
    #: True when one long-lived driver runs the commands (sandbox/resident.py).
    resident: bool
    #: True when hooks may run warm (sandbox/warm.py; needs the resident driver).
    warm: bool
    #: Every command's environment (the sandbox's own: no user git config, ...).
    _env: dict[str, str]
    #: Commands run so far (``exec`` and ``charter``): only a command can change the
    #: index or HEAD, so what was read of them stays true while this number holds.
    commands: int = 0

    @abstractmethod
    def path(self, rel: str) -> str:
        """``rel`` as an absolute path *inside* the sandbox (for command arguments)."""

    @abstractmethod
    def put_dir(self, source: Path, dest: str) -> None:
        """Copy the host folder ``source`` to ``dest`` (created; symlinks kept as links)."""

    @abstractmethod
    def write(self, dest: str, data: bytes) -> None:
        """Write ``data`` to the file ``dest`` (folders created)."""

    @abstractmethod
    def read(self, rel: str) -> bytes | None:
        """The bytes of file ``rel``, None when there is no such file."""

    @abstractmethod
    def close(self) -> None:
        """Stop every process and remove everything the sandbox created."""

    @abstractmethod
    def _alone(self, command: Command) -> ExecResult:
        """``command`` as a process of its own (no resident driver)."""

    @abstractmethod
    def _driven(self, call: Callable[[Resident], T], what: str) -> T:
        """``call`` on the resident driver (started on first use); its failure an
        InfraError that says ``what`` failed."""

    def _cwd(self, rel: str) -> str:
        """A command's working folder ``rel`` inside the sandbox."""
        return self.path(rel)

    def exec(
        self,
        argv: Sequence[str],
        *,
        cwd: str = "work",
        env: Mapping[str, str] | None = None,
        timeout: float = 120.0,
        stdin: str | None = None,
    ) -> ExecResult:
        """Run ``argv`` in ``cwd`` with extra ``env``; kill it all after ``timeout`` s.

        A command that runs and fails is a normal result; one that cannot be started, or
        that outlives its timeout, gives ``timed_out`` or raises :class:`InfraError`.
        """
        if not argv:
            raise InfraError("an empty command")
        self.commands += 1
        command = Command(tuple(argv), cwd, {**self._env, **(env or {})}, timeout, stdin)
        if not self.resident:
            return self._alone(command)
        inside = replace(command, cwd=self._cwd(cwd))
        return self._driven(
            lambda driver: driver.exec(inside), f"cannot run {argv[0]!r} in the sandbox"
        )

    def charter(
        self, argv: Sequence[str], *, cwd: str = "work", timeout: float = 120.0
    ) -> ExecResult:
        """``charter ARGV`` in ``cwd``: with a resident driver, inside its process (its
        imports and caches warm); otherwise as ``exec(["charter", *argv])``."""
        self.commands += 1
        if not self.resident:
            return self.exec(["charter", *argv], cwd=cwd, timeout=timeout)
        where = self._cwd(cwd)
        return self._driven(
            lambda driver: driver.charter(argv, where, {}, timeout),
            f"cannot run charter {argv[0] if argv else ''} in the sandbox",
        )

    def warm_hooks(self) -> str | None:
        """With a resident driver (and unless turned off), start the warm hook server
        (warm.py): the folder, inside the sandbox, of its ``pre-commit`` and ``charter``
        clients, from now on first on every command's PATH. None: hooks run cold."""
        if not (self.warm and self.resident):
            return None
        folder = self.path("tmp/warm-bin")
        failed = self._driven(lambda driver: driver.warm(folder), "start the warm hook server")
        if failed:
            raise InfraError(f"cannot start the warm hook server: {failed}")
        self._env["PATH"] = f"{folder}:{self._env['PATH']}"
        return folder


class Backend(Protocol):
    name: str
    isolates: bool
    #: One line for the user: what the backend protects, and what it does not.
    notice: str

    def start(self, label: str) -> Sandbox:
        """A fresh, empty sandbox for one run; ``label`` names it (for cleanup)."""
        ...
