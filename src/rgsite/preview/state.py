"""What the browser's pages are told after each build, numbered by epoch.

Each page's event stream carries the page's path and a digest of what it showed when it
was served; after every build the page is told whether the file that path now serves
differs (then it reloads), the new stylesheet names and the build's errors.

This module must not know how pages are built.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rgsite.errors import Problem
from rgsite.preview import livereload
from rgsite.preview.content import page_digest
from rgsite.preview.files import not_found_page, resolve

if TYPE_CHECKING:
    from rgsite.build.builder import Result


class LiveState:
    """The last build's outcome, numbered by epoch; event streams wait on it."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.epoch = 0
        self.base_path = "/"
        self.errors: list[dict[str, str]] = []
        self.styles: dict[str, str] = {}
        self.fingerprinted: frozenset[str] = frozenset()
        """Output paths whose names carry a digest of their bytes: cached for good."""
        self.stopping = False
        self._cond = threading.Condition()

    def succeeded(self, result: Result) -> None:
        base = result.site.config.base_path if result.site is not None else "/"
        styles = {
            base + rel: base + name for rel, name in result.assets.items() if rel.endswith(".css")
        }
        fingerprinted = frozenset(result.assets.values())
        with self._cond:
            self.base_path, self.styles, self.errors = base, styles, []
            self.fingerprinted = fingerprinted
            self.epoch += 1
            self._cond.notify_all()

    def failed(self, problems: Iterable[Problem]) -> None:
        errors = [
            {"where": str(p.location), "message": p.message}
            for p in problems
            if p.severity == "error"
        ]
        with self._cond:
            self.errors = errors
            self.epoch += 1
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self.stopping = True
            self._cond.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """The epoch after ``seen``, or ``seen`` again after ``timeout`` seconds."""
        with self._cond:
            self._cond.wait_for(lambda: self.epoch != seen or self.stopping, timeout)
            return self.epoch

    def page(self, path: str) -> tuple[int, bytes | None]:
        """The status and bytes the page at ``path`` would be served with now."""
        found = resolve(self.out, self.base_path, path)
        file = found.file if found.status == 200 else not_found_page(self.out)
        status = 200 if found.status == 200 else 404
        if file is None:
            return status, None
        try:
            return status, file.read_bytes()
        except OSError:
            return 404, None

    def message(self, path: str, digest: str) -> dict[str, Any]:
        """What the page at ``path``, served with ``digest``, must do after this build."""
        with self._cond:
            epoch, errors, styles = self.epoch, list(self.errors), dict(self.styles)
        _, data = self.page(path)
        current = page_digest(data) if data is not None else "none"
        return {"epoch": epoch, "reload": current != digest, "errors": errors, "assets": styles}

    def config(self, data: bytes | None) -> dict[str, Any]:
        """The live script's settings for a page served with ``data``."""
        with self._cond:
            errors = list(self.errors)
        digest = page_digest(data) if data is not None else "none"
        return {"events": livereload.EVENTS, "digest": digest, "errors": errors}
