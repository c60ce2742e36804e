"""Parse many files on every core: a bulk add (a whole finished project) is
dominated by tree-sitter parsing, and tree-sitter holds the GIL, so threads
do not help; forked processes do.

Fork is used only where it is safe and cheap: Linux, more than one core, and
no other thread in this process (a forked child inherits locks held by other
threads). Anywhere else callers parse serially. The jobs are inherited by the
forked children, so only the small parse results cross a pipe.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence

from backforge.validate.model import ParsedFile

# Below this many files the fork and pickling cost more than they save.
MIN_PARALLEL_FILES = 300
_CHUNKS_PER_WORKER = 4

Job = tuple[Callable[[str, str], ParsedFile], str, str]  # (parse, path, content)
_jobs: Sequence[Job] = ()  # set in the parent just before forking, read by children


def workers_available() -> int:
    """How many processes a bulk parse may use here (1 means: parse serially)."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, cores)


def _parse_range(bounds: tuple[int, int]) -> list[ParsedFile]:
    return [parse(path, content) for parse, path, content in _jobs[bounds[0]:bounds[1]]]


def parse_all(jobs: Sequence[Job]) -> list[ParsedFile]:
    """Parse every job, in order, on all available cores when it pays off."""
    workers = min(workers_available(), max(1, len(jobs) // (MIN_PARALLEL_FILES // 2)))
    if workers < 2 or len(jobs) < MIN_PARALLEL_FILES:
        return [parse(path, content) for parse, path, content in jobs]
    global _jobs
    _jobs = jobs
    try:
        n_chunks = workers * _CHUNKS_PER_WORKER
        step = -(-len(jobs) // n_chunks)
        bounds = [(i, min(i + step, len(jobs))) for i in range(0, len(jobs), step)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [p for chunk in pool.map(_parse_range, bounds) for p in chunk]
    finally:
        _jobs = ()
