"""The preview: build, serve the output, watch, rebuild, tell the browser.

:class:`Preview` owns one :class:`~rgsite.build.Builder` for its whole run, a
:class:`~rgsite.server.PreviewServer` and a :class:`~rgsite.watch.Watcher`. Each batch
of changes runs one incremental build, told which files changed (a text edit is patched
in, see :mod:`rgsite.patch`); every file a build replaces is replaced whole before anyone
is told, so a browser never reads half a page. A build that fails leaves the last good
output in place and its problems go to the terminal and, as an overlay, to every open
page.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Self

from rgsite.build.builder import Builder, Result
from rgsite.console import Console
from rgsite.errors import Location, Problem, RgsiteError, SiteError
from rgsite.options import Options
from rgsite.preview.server import PreviewServer
from rgsite.preview.state import LiveState
from rgsite.preview.watch import QUIET, Watcher

log = logging.getLogger(__name__)


# -- the whole preview ------------------------------------------------------------------


class Preview:
    """Build, serve and watch one site until :meth:`stop`; rebuild on every change."""

    def __init__(
        self,
        options: Options,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        console: Console | None = None,
        watch: bool = True,
        quiet: float | None = None,
    ) -> None:
        self.options = options
        # Every build runs on this one thread, the first as well as the watcher's: the
        # Builder's cache may hold objects (an SQLite connection) tied to one thread.
        self._builds = ThreadPoolExecutor(1, thread_name_prefix="rgsite-build")
        self.builder = self._builds.submit(Builder, options).result()
        self.state = LiveState(options.output)
        self.console = console or Console(quiet=True)
        self.host, self.port = host, port
        self.server: PreviewServer | None = None
        self.watcher: Watcher | None = None
        self.last: Result | None = None
        self._watch = watch
        self._quiet = quiet
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The site's address on this server, base path included."""
        if self.server is None:
            raise RuntimeError("the preview is not started")
        host = self.host if self.host not in ("", "0.0.0.0", "::") else "127.0.0.1"
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.server.port}{self.state.base_path}"

    def start(self) -> None:
        """Build once (a failed build is reported, not raised), then serve and watch."""
        self.rebuild(frozenset())
        try:
            self.server = PreviewServer((self.host, self.port), self.state)
        except OSError as exc:
            raise RgsiteError(
                f"cannot listen on {self.host}:{self.port}: {exc.strerror}; "
                "choose another port with --port (0 picks a free one)"
            ) from exc
        self._thread = threading.Thread(
            target=self.server.serve_forever, name="rgsite-serve", daemon=True
        )
        self._thread.start()
        if self._watch:
            quiet = QUIET if self._quiet is None else self._quiet
            self.watcher = Watcher(self.options.site, self.rebuild, quiet=quiet)
            self.watcher.start()

    def stop(self) -> None:
        self.state.stop()
        if self.watcher is not None:
            self.watcher.stop()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self._thread is not None:
            self._thread.join(5)
        self._builds.submit(self.builder.close).result()
        self._builds.shutdown()

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

    def rebuild(self, changes: frozenset[str]) -> Result | None:
        """Build once; tell the browsers; print what happened. Never raises."""
        return self._builds.submit(self._rebuild, changes).result()

    def _rebuild(self, changes: frozenset[str]) -> Result | None:
        started = time.perf_counter()
        try:
            result = self.builder.build(changes or None)
        except SiteError as exc:
            self._failed(exc.problems)
            return None
        except RgsiteError as exc:
            self._failed([Problem(Location(str(self.options.output)), str(exc))])
            return None
        except Exception as exc:
            log.exception("the build failed unexpectedly")
            self._failed([Problem(Location("(rgsite)"), f"internal error: {exc!r}")])
            return None
        recovered = bool(self.state.errors)
        if self.builder.options.search == "fresh":
            # The first build indexes the site for search; later ones keep that index,
            # so a save is not held up by re-indexing the whole archive.
            self.builder.options = dataclasses.replace(
                self.builder.options, search="reuse", cleanup="thread", in_place=True
            )
        self.last = result
        self.state.succeeded(result)
        ms = (time.perf_counter() - started) * 1000
        self.console.problems(result.warnings)
        if changes or recovered:
            what = ", ".join(sorted(changes)[:3]) + (" …" if len(changes) > 3 else "")
            self.console.info(
                f"rebuilt in {ms:.0f} ms ({what or 'start'}): {result.rendered} pages rendered, "
                f"{len(result.changed)} files changed"
                + ("; the site has no errors now" if recovered else "")
            )
        else:
            self.console.info(f"built {result.pages} pages in {ms:.0f} ms")
        return result

    def _failed(self, problems: list[Problem]) -> None:
        self.state.failed(problems)
        self.console.problems(problems)
        errors = sum(1 for p in problems if p.severity == "error")
        self.console.error(
            f"build failed with {errors} error(s); still serving the last good build. "
            "Fix the file and save to rebuild."
        )
