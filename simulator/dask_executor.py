"""Units on a Dask distributed cluster: ``--executor tcp://HOST:PORT`` (``charter[dask]``).

Each scenario goes to the cluster once, as a task whose result is its archive, keyed by
its content digest: the scheduler holds the bytes, workers fetch them from each other,
and when the worker holding them is lost the scheduler makes them again — workers need no
shared file system. Each unit is a task depending on it. A worker lost mid-run has its
running and held units run again elsewhere by the scheduler; the client takes exactly one
result per unit (a future resolves once), so the results hold every unit once. Ctrl-C
cancels what has not finished and closes the client.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from charter.hooks import __version__
from charter.hooks.errors import CharterError
from charter.simulator import ship
from charter.simulator.executors import Done, Job, Work, run_shipped


def _payload(data: bytes) -> bytes:
    return data


class DaskExecutor:
    def __init__(self, address: str, connect_timeout: float = 20.0) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise CharterError(
                f"--executor {address}: the Dask executor needs distributed: "
                "pip install 'charter[dask]'"
            ) from None
        try:
            self.client: Any = Client(address, timeout=connect_timeout, set_as_default=False)
        except OSError as exc:
            raise CharterError(
                f"--executor {address}: no Dask scheduler answers ({exc}); start one with "
                "`dask scheduler` and workers with `dask worker ADDRESS` (docs/simulator-scale.md)"
            ) from None
        self.address = address
        workers = len(self.client.scheduler_info().get("workers", {}))
        self.description = f"Dask scheduler {address} ({workers} worker(s) now)"

    def run(self, jobs: Sequence[Job], work: Work, done: Done) -> None:
        from distributed import as_completed

        run_id = uuid.uuid4().hex[:8]
        payloads: dict[str, object] = {}  # scenario digest -> the future of its archive
        futures: dict[Any, int] = {}
        try:
            for job in jobs:
                if job.digest not in payloads:
                    payloads[job.digest] = self.client.submit(
                        _payload,
                        ship.pack(job.folder),
                        key=f"charter-scenario-{job.digest}",
                        pure=False,
                    )
                name = f"charter-unit-{job.digest}-{job.set_name}-e{job.epoch}-{run_id}"
                future = self.client.submit(
                    run_shipped, payloads[job.digest], job, work, __version__, key=name
                )
                futures[future] = job.index
            for future in as_completed(list(futures), loop=self.client.loop):
                done(futures.pop(future), future.result())
        except BaseException:
            self.client.cancel([*futures, *payloads.values()], force=True)
            raise
        finally:
            self.client.close()
