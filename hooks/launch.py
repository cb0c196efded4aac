"""The ``charter`` process: git's first questions started, ``cli.main``, then the exit.

The command (``charter``, ``python -m charter.hooks``) starts here, not in ``cli``, so
that the questions a hook asks git first (``source/early.py``) are running before
Charter's own modules are imported. A hook run with ``--resident`` is handed to the
warm server (``resident.py``) even before that. ``cli.main`` stays the function to call
in-process (tests, the simulator's resident hooks): neither the early questions, the
resident server nor this exit apply there.
"""

from __future__ import annotations

import gc
import sys

# The commands a commit or an agent's edit runs. Each is a short process whose reference
# cycles may as well be freed at its exit: without the cyclic collector's passes over
# what a check makes (the import table, the findings), a cold ``check --all`` on Django
# took 515 -> 463 ms (``bench/README.md``). Long-lived ones (``sim``, ``mcp``) keep it.
SHORT_LIVED = frozenset({"check", "commit-msg", "fix", "hook", "validate"})
# The commands that may be handed to the resident server (``resident.py``) with
# ``--resident``, before anything else is imported: the hooks.
RESIDENT_COMMANDS = frozenset({"check", "commit-msg", "hook"})

# ``typing`` (and the ``re``, ``enum``, ``collections`` it imports) would come before
# git's first questions are started: the names are for the type checker only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn


def entry() -> NoReturn:
    """The ``charter`` command: ``cli.main``, then exit.

    The exit does what anyone can see of a normal one (the exit handlers, such as the
    kept records' methods and weakref finalizers like temporary folders; the output
    flushed) and skips freeing every object and module one by one, which a hook with
    its caches loaded spends 10-40 ms on (issue 15). With a thread that is not a daemon
    still running, the exit is the normal one, which waits for it.
    """
    argv = sys.argv[1:]
    resident_call = bool(argv) and argv[0] in RESIDENT_COMMANDS and "--resident" in argv
    if resident_call:
        _call_resident(argv)
    if argv and argv[0] in SHORT_LIVED:
        gc.disable()
    from charter.hooks.source import early

    early.start(argv)
    from charter.hooks.cli import main

    code = main()
    if resident_call:  # no server took this call: start one for the next
        from charter.hooks import resident

        resident.start()
    _exit(code)


def _call_resident(argv: list[str]) -> None:
    """Exit with the resident server's answer to this call, if a server takes it."""
    from charter.hooks import resident

    if not resident.served:  # else this is the server's child, judging the call itself
        code = resident.call(argv)
        if code is not None:
            raise SystemExit(code)


def _exit(code: int) -> NoReturn:
    import atexit
    import contextlib
    import os
    import threading

    from charter.hooks.source import early

    early.stop()
    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if run_handlers is None or any(t.is_alive() and not t.daemon for t in others):
        raise SystemExit(code)
    run_handlers()
    for stream in (sys.stdout, sys.stderr):
        # Closed, or the reader went away: nothing more can be said.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
