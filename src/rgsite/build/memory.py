"""Keeping a one-shot build's peak memory down: the C heap, not the objects on it.

A build allocates and frees large blocks all along (a Markdown rendering, a feed, a
chunk of pages coming back from a worker). glibc's allocator keeps freed memory mapped
for reuse, and by default raises the size it hands out from fresh mappings each time a
large block is freed, so the blocks that follow fragment the heap: the process keeps the
high-water mark of everything it ever held, and the workers it forks start from there.
Elsewhere than glibc these are no-ops.
"""

from __future__ import annotations

import ctypes
import functools

LARGE = 256 * 1024
"""Blocks from this size up get mappings of their own, returned to the system when freed."""
_M_MMAP_THRESHOLD = -3


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


def map_large_blocks() -> None:
    """Give every large block a mapping of its own, for the rest of this process (and
    the workers it forks): a fixed threshold also stops glibc raising it as blocks are
    freed. Measured on a 10,000-session build: the main process's peak about 50 MB lower."""
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(_M_MMAP_THRESHOLD, LARGE)


def hand_back() -> None:
    """Return the C heap's free pages to the system.

    Reading leaves every Markdown rendering freed but still mapped, and the pages rendered
    next fragment on top of it: giving it back lowers the peak of a 10,000-session build
    by about 70 MB, for a few milliseconds.
    """
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)
