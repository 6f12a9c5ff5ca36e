"""A progress bar for long work, drawn only on a terminal.

On a terminal (and not ``--quiet``), :class:`Progress` redraws one line on stderr at
most ten times a second: ``checking links [#########-------]  45/120  3.2 s``. Anywhere
else — a pipe, a CI log, a file — it draws nothing at all, so logs stay a few quiet
lines that the command prints itself. It never decides what the work is or when it ends;
callers say ``advance()`` as items finish and ``close()`` (or leave the ``with`` block).

This module must not print anything but the bar, and must not import the pipeline.
"""

from __future__ import annotations

import io
import shutil
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Self, TextIO

REDRAW_EVERY = 0.1  # seconds


class Progress:
    """Items done out of ``total``, drawn on ``stream`` when ``enabled``."""

    def __init__(
        self,
        stream: TextIO,
        label: str,
        total: int,
        *,
        enabled: bool,
    ) -> None:
        self.stream, self.label, self.total = stream, label, max(total, 0)
        self.enabled = enabled and total > 0
        self.done = 0
        self._started = time.monotonic()
        self._drawn_at = 0.0
        self._drawn = False
        self._lock = threading.Lock()

    def advance(self, count: int = 1) -> None:
        """``count`` more items are done; safe to call from worker threads."""
        with self._lock:
            self.done = min(self.total, self.done + count)
            if not self.enabled:
                return
            now = time.monotonic()
            if now - self._drawn_at >= REDRAW_EVERY or self.done == self.total:
                self._draw(now)

    def line(self, width: int | None = None) -> str:
        """The bar as text, fitted to ``width`` columns (the terminal's by default)."""
        width = width or shutil.get_terminal_size((80, 24)).columns
        elapsed = time.monotonic() - self._started
        count = f" {self.done:>{len(str(self.total))}}/{self.total}  {elapsed:.1f} s"
        room = width - len(self.label) - len(count) - 4
        if room < 10:
            return (self.label + count)[: width - 1]
        filled = room * self.done // self.total if self.total else room
        return f"{self.label} [{'#' * filled}{'-' * (room - filled)}]{count}"

    def _draw(self, now: float) -> None:
        self.stream.write("\r" + self.line() + "\033[K")
        self.stream.flush()
        self._drawn_at, self._drawn = now, True

    def close(self) -> None:
        """Clear the bar's line, leaving the terminal as it was before."""
        with self._lock:
            if self._drawn:
                self.stream.write("\r\033[K")
                self.stream.flush()
                self._drawn = False
            self.enabled = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


ProgressFactory = Callable[[str, int], Progress]
"""Makes a bar for ``(label, total)``: ``Console.progress``, or :func:`silent`."""


def silent(label: str, total: int) -> Progress:
    """A bar that draws nothing: the default for library callers and tests."""
    return Progress(io.StringIO(), label, total, enabled=False)
