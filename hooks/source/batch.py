"""Parse many files at once, on every core: a cold run's cost is ``ast`` parsing.

Below ``MIN_FILES`` files, or with one core, or where processes cannot be forked
cheaply (only Linux forks here), or off the main thread or beside another thread (a
fork copies the locks other threads hold, such as an import under way: ``engine.Ahead``
scans while the decisions are validated), files are parsed in this process.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence

from charter.hooks.source.facts import FileFacts, extract

MIN_FILES = 48
Job = tuple[str, str, bool]  # text, module, is_package


def extract_many(jobs: Sequence[Job]) -> list[FileFacts]:
    """The facts of each job, in order."""
    workers = min(os.cpu_count() or 1, 8)
    forkable = (
        sys.platform.startswith("linux")
        and threading.current_thread() is threading.main_thread()
        and threading.active_count() == 1
    )
    if workers < 2 or len(jobs) < MIN_FILES or not forkable:
        return [extract(*job) for job in jobs]
    import multiprocessing

    chunk = max(1, len(jobs) // (workers * 4))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        data = pool.map(_extract_data, jobs, chunksize=chunk)
    return [FileFacts.from_data(item) for item in data]


def _extract_data(job: Job) -> list[object]:
    return extract(*job).to_data()
