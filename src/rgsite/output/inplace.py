"""The preview's output folder, updated file by file instead of swapped whole.

``rgsite build`` stages a whole new tree and swaps it in (:class:`rgsite.output.stage.Stage`),
which costs a hard link per file: a tenth of a second at a thousand sessions, on every
save. The preview server does not need the swap, because it reloads a page only after
the build has finished; it needs each file replaced whole, so a request never reads
half a page. :class:`InPlace` has the Stage's interface and does just that: a changed
file is written beside its target and renamed over it, an unchanged one is left alone,
and files the previous build wrote that this one did not are removed at the commit.

Nothing is removed or replaced before the commit except by rename, so a build that
fails half-way leaves every file whole: some new, the rest old, which the next build
mends. The preview shows an error overlay meanwhile.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from types import TracebackType
from typing import NoReturn, Self

from rgsite.errors import OutputError
from rgsite.options import Cleanup
from rgsite.output.files import copy_atomic, is_file_of, same_bytes, same_file, write_atomic
from rgsite.output.safety import output_parts
from rgsite.output.stage import CommitStats

# The preview is built again from the site on the next save: it needs every file whole,
# not files that survive a power loss, and syncing each one would slow every save.
_DURABLE = False


class InPlace:
    """Writes a build straight into ``out``, which the previous build of this process
    wrote; ``previous`` is every output path that build wrote (others are left alone)."""

    def __init__(self, out: Path, previous: set[str]) -> None:
        self.path = out.resolve()
        self._shown = out
        self._previous = previous
        self._entries: dict[str, bool] = {}  # rel path -> unchanged

    def write(self, rel: str, data: bytes) -> None:
        dest = self._target(rel)
        try:
            if is_file_of(dest, len(data)) and same_bytes(dest, data):
                self._entries[rel] = True
                return
            dest.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(dest, data, durable=_DURABLE)
        except OSError as exc:
            self.fail(exc, f"write {self._shown / rel}")
        self._entries[rel] = False

    def copy(self, rel: str, src: Path) -> None:
        dest = self._target(rel)
        try:
            if is_file_of(dest, os.stat(src).st_size) and same_file(dest, src):
                self._entries[rel] = True
                return
            dest.parent.mkdir(parents=True, exist_ok=True)
            copy_atomic(src, dest, durable=_DURABLE)
        except OSError as exc:
            self.fail(exc, f"copy {src} to {self._shown / rel}")
        self._entries[rel] = False

    def keep(self, rel: str, size: int, mtime_ns: int) -> bool:
        """True if the file at ``rel`` is still the one written with that size and mtime."""
        # A plain string: this runs for every file of the site on every save.
        path = os.path.join(self.path, "/".join(output_parts(rel, self._shown)))
        if is_file_of(path, size, mtime_ns):
            self._entries[rel] = True
            return True
        return False

    def commit(self, cleanup: Cleanup = "now") -> CommitStats:
        """Remove what the previous build wrote and this one did not, and empty folders."""
        del cleanup  # nothing was set aside to delete
        gone = sorted(self._previous - self._entries.keys())
        removed = 0
        for rel in gone:
            path = self.path / rel
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
            _prune_empty(path.parent, self.path)
        unchanged = sum(self._entries.values())
        return CommitStats(len(self._entries) - unchanged, unchanged, removed)

    def fail(self, exc: OSError, doing: str) -> NoReturn:
        raise OutputError(
            f"cannot {doing}: {exc.strerror or exc}; the preview keeps its last good files"
        ) from exc

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        pass

    def _target(self, rel: str) -> Path:
        return self.path.joinpath(*output_parts(rel, self._shown))


def _prune_empty(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
