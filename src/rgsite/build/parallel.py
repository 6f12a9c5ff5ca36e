"""Spread the costly stages, Markdown, page rendering and images, over all cores.

Workers are forked so they start with the site already in memory and nothing has to
be sent to them but indexes. Fork is used only where it is safe: a POSIX system, and a
process with no other threads (the preview server renders in one process, and its
incremental builds have little to spread anyway). Results come back in input order, so
the output is the same as a one-process build's, byte for byte.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

MIN_ITEMS = 64
"""Below this many items a pool costs more than it saves."""
AHEAD = 2
"""Chunks per worker sent before the first result is taken."""

_TASK: Callable[[int], Any] | None = None
_WORKER = False


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def in_worker() -> bool:
    """Whether this is a worker forked by :func:`run`: it ends with its stage, so
    remembering anything for a later build only holds memory."""
    return _WORKER


def across_builds(remembered: Any) -> Any:
    """``remembered``, a function cached for a later build (the preview's), or in a
    worker, which sees no later build, the function it wraps: its cache would only hold
    memory."""
    return remembered.__wrapped__ if _WORKER else remembered


def _become_worker() -> None:
    global _WORKER
    _WORKER = True


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def _run_chunk(indexes: list[int]) -> list[Any]:
    assert _TASK is not None
    return [_TASK(i) for i in indexes]


def run(task: Callable[[int], T], count: int, jobs: int, *, heavy: bool = False) -> Iterator[T]:
    """``task(i)`` for i in 0..count-1, in order, on up to ``jobs`` forked processes.

    ``task`` is inherited by the workers through fork, so it may close over anything.
    ``heavy``: each item takes long enough (an image to decode) to be worth a process
    for as few as two, sent one at a time.
    """
    global _TASK
    least = 2 if heavy else MIN_ITEMS
    if jobs <= 1 or count < least or not can_fork():
        for index in range(count):
            yield task(index)
        return
    workers = min(jobs, max(1, count // least))
    # Small chunks keep both workers busy to the end; large ones cut messaging.
    size = 1 if heavy else max(8, min(128, count // (workers * 8) or 1))
    chunks = [list(range(start, min(start + size, count))) for start in range(0, count, size)]
    _TASK = task
    # What the workers inherit is frozen out of the collector's reach: a collection in a
    # worker would otherwise write to every object it walks, and copy the page it is on.
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_become_worker
        ) as pool:
            # A few chunks ahead of the one awaited, not all: results wait here, in order,
            # behind a slow chunk, and a long archive's would fill the memory.
            ahead = deque(pool.submit(_run_chunk, c) for c in chunks[: workers * AHEAD])
            waiting = iter(chunks[workers * AHEAD :])
            while ahead:
                results = ahead.popleft().result()
                following = next(waiting, None)
                if following is not None:
                    ahead.append(pool.submit(_run_chunk, following))
                yield from results
    finally:
        _TASK = None
        gc.unfreeze()


def map_items(
    task: Callable[[T], Any], items: Sequence[T], jobs: int, *, heavy: bool = False
) -> list[Any]:
    return list(run(lambda i: task(items[i]), len(items), jobs, heavy=heavy))
