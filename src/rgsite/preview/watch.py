"""Watch a site's files and hand over changes in debounced batches.

A :class:`Watcher` runs watchdog's observer over the site's ``content/``, ``templates/``
and ``static/`` and over the theme's ``templates/`` and ``static/``. Each event is turned
into the site-relative path it touches (``content/sessions/x.md``; a theme file is
``theme:templates/base.html``); paths that are not part of a site (editor swap and backup
files, hidden files, unknown files) are dropped here using :mod:`rgsite.sources`, so the
watcher and the build agree on what matters.

Editors save in bursts: vim writes a probe file, renames the original to a backup,
writes the new file and deletes the backup (17 events for one save); others write a
temporary file and rename it over the original, so the file shows up only as the
destination of a "moved" event; ``git checkout`` touches many files at once. Events are
therefore collected until the files have been quiet for ``quiet`` seconds (or ``cap``
seconds have passed since the first one) and handed to ``on_change`` as one batch. One
thread delivers the batches, so two rebuilds never overlap; events that arrive during a
rebuild make the next batch.

Opened and closed-without-writing events are ignored: a build reads every file, and those
must not trigger another build. The watcher never raises from its threads: a failing
``on_change`` is logged and watching goes on.

This module must not know how a site is built or served.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self

from watchdog.events import (
    EVENT_TYPE_CLOSED_NO_WRITE,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_OPENED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

from rgsite.read.discover import (
    CONTENT,
    LOCALES,
    STATIC,
    TEMPLATES,
    FileKind,
    classify,
    ignored,
    theme_dir,
)

log = logging.getLogger(__name__)


# watchdog's inotify thread warns when a folder it already watches is created again
# (an editor's or git's rename dance) and then carries on correctly: not the user's
# business, and under "warnings as errors" the warning would kill its thread.
warnings.filterwarnings(
    "ignore", message=r"Callback with id .* already exists", category=RuntimeWarning
)

OnChange = Callable[[frozenset[str]], object]
QUIET = 0.02
"""Seconds without events after which a batch is handed over: an editor's save, or
git's checkout, sends its events closer together than this."""
CAP = 2.0
"""Seconds after a batch's first event by which it is handed over even if events go on."""
TOPS = (CONTENT, TEMPLATES, STATIC, LOCALES)
THEME_PREFIX = "theme:"


def relevant(label: str, *, is_directory: bool = False) -> bool:
    """Whether a change to ``label`` (as :meth:`Watcher.label` names it) can change the site."""
    rel = label.removeprefix(THEME_PREFIX)
    parts = rel.split("/")
    if any(ignored(part) for part in parts):
        return False
    if label.startswith(THEME_PREFIX):
        return len(parts) > 1
    if is_directory:
        # A folder moved or deleted takes its files with it, and a folder moved in brings
        # files that may have no events of their own.
        return parts[0] in TOPS
    return classify(rel) is not FileKind.UNKNOWN


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: Watcher, base: Path, prefix: str) -> None:
        self.watcher, self.base, self.prefix = watcher, base, prefix

    def on_any_event(self, event: FileSystemEvent) -> None:
        try:
            self._handle(event)
        except Exception:  # a bad event must never stop the observer
            log.exception("ignoring a file system event rgsite could not read: %r", event)

    def _handle(self, event: FileSystemEvent) -> None:
        if event.event_type in (EVENT_TYPE_OPENED, EVENT_TYPE_CLOSED_NO_WRITE):
            return
        if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
            return  # a folder's own mtime; its files have their own events
        paths = [event.src_path, event.dest_path] if event.dest_path else [event.src_path]
        labels = set()
        for raw in paths:
            label = self._label(os.fsdecode(raw))
            if label is not None and relevant(label, is_directory=event.is_directory):
                labels.add(label)
        if labels:
            self.watcher.notify(labels)

    def _label(self, path: str) -> str | None:
        try:
            rel = Path(path).relative_to(self.base).as_posix()
        except ValueError:
            return None
        return None if rel == "." else self.prefix + rel


class _RootHandler(FileSystemEventHandler):
    """Watches the site folder itself for its top folders appearing or going away."""

    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in (EVENT_TYPE_OPENED, EVENT_TYPE_CLOSED_NO_WRITE):
            return
        paths = [event.src_path, event.dest_path] if event.dest_path else [event.src_path]
        for raw in paths:
            name = Path(os.fsdecode(raw)).name
            if name in TOPS and Path(os.fsdecode(raw)).parent == self.watcher.site:
                try:
                    self.watcher.rewatch(name)
                except Exception:
                    log.exception("cannot watch %s", raw)
                self.watcher.notify({name})


class Watcher:
    """Watches a site and its theme; calls ``on_change(paths)`` once per burst of changes."""

    def __init__(
        self,
        site: Path,
        on_change: OnChange,
        *,
        quiet: float = QUIET,
        cap: float = CAP,
        theme: Path | None = None,
    ) -> None:
        self.site = site.resolve()
        self.theme = (theme or theme_dir()).resolve()
        self.on_change = on_change
        self.quiet, self.cap = quiet, cap
        self.batches = 0
        """Batches handed over so far (tests count rebuilds with it)."""
        self._observer: BaseObserver = Observer()
        self._watches: dict[str, ObservedWatch] = {}
        self._cond = threading.Condition()
        self._pending: set[str] = set()
        self._first = self._last = 0.0
        self._stopping = False
        self._busy = False
        self._thread = threading.Thread(target=self._deliver, name="rgsite-watch", daemon=True)

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> None:
        watched: set[Path] = set()
        for top in TOPS:
            if self._schedule(top):
                watched.add((self.site / top).resolve())
        for top in (TEMPLATES, STATIC):
            folder = (self.theme / top).resolve()
            if folder.is_dir() and folder not in watched:
                handler = _Handler(self, folder, f"{THEME_PREFIX}{top}/")
                self._observer.schedule(handler, str(folder), recursive=True)
        self._observer.schedule(_RootHandler(self), str(self.site), recursive=False)
        self._observer.start()
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching; waits up to ``timeout`` seconds for a batch being handled."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join(timeout)
        if self._thread.is_alive():
            self._thread.join(timeout)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _schedule(self, top: str) -> bool:
        folder = self.site / top
        if not folder.is_dir():
            return False
        handler = _Handler(self, self.site, "")
        self._watches[top] = self._observer.schedule(handler, str(folder), recursive=True)
        return True

    def rewatch(self, top: str) -> None:
        """Watch ``top`` again after it was created, replaced or removed."""
        old = self._watches.pop(top, None)
        if old is not None:
            with contextlib.suppress(KeyError):
                self._observer.unschedule(old)
        self._schedule(top)

    # -- batching ---------------------------------------------------------------------

    def notify(self, labels: set[str]) -> None:
        """Record changed paths; the batch goes out once they have been quiet for a while."""
        now = time.monotonic()
        with self._cond:
            if not self._pending:
                self._first = now
            self._pending |= labels
            self._last = now
            self._cond.notify_all()

    def idle(self) -> bool:
        """True when no change is waiting or being handled."""
        with self._cond:
            return not self._pending and not self._busy

    def _deliver(self) -> None:
        while True:
            with self._cond:
                while not self._pending and not self._stopping:
                    self._cond.wait()
                while not self._stopping:
                    deadline = min(self._last + self.quiet, self._first + self.cap)
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(remaining)
                if self._stopping:
                    return
                batch = frozenset(self._pending)
                self._pending = set()
                self._busy = True
            try:
                log.debug("changed: %s", ", ".join(sorted(batch)))
                self.batches += 1
                self.on_change(batch)
            except Exception:
                log.exception("handling a change failed; watching goes on")
            finally:
                with self._cond:
                    self._busy = False
