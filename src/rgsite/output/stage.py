"""Building a new output tree beside the old one, and swapping it in atomically.

A build replaces the output all at once or not at all (spec §4).

:class:`Stage` builds the new tree in ``.{name}.rgsite-tmp-<pid>-<random>`` beside the
output folder, on the same file system. A file whose bytes equal the previous output's file
at the same path is hard-linked from the previous tree instead of written, so it keeps its
inode and mtime and rsync or a static host sees it unchanged. ``commit()`` then swaps:

* on Linux, ``renameat2(RENAME_EXCHANGE)`` swaps the two folders in one atomic call;
* elsewhere, or on a file system without it, two renames: ``out`` to
  ``.{name}.rgsite-old-<pid>-<random>``, then the stage to ``out``. For the microseconds
  between them ``out`` does not exist: a reader gets "not found", never a mix of old and
  new files. If the second rename fails, the first is undone.

The previous tree is deleted only after the swap (:mod:`rgsite.output.cleanup`); which
output folders are safe to build into is :mod:`rgsite.output.safety`'s to say. Surviving
power loss (fsync) is not promised.

This module must not know about routes, templates or the site's content.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import NoReturn, Self

from rgsite.errors import OutputError
from rgsite.options import Cleanup
from rgsite.output import ahead
from rgsite.output.cleanup import (
    forget,
    new_folder,
    new_name,
    remove_later,
    remove_stale,
    remove_tree,
)
from rgsite.output.files import is_file_of, link_or_copy, same_bytes, same_file
from rgsite.output.safety import (
    MARKER,
    MARKER_TEXT,
    hint,
    output_parts,
    previous_output,
    refuse_system_folder,
)


@dataclass(frozen=True, slots=True)
class CommitStats:
    """What a commit changed: files written or changed, kept byte-identical, and removed."""

    written: int
    unchanged: int
    removed: int


class Stage:
    """Builds a new output tree beside `out` and swaps it in atomically.

    ``write``/``copy`` may be called from several threads for different paths. Use it as a
    context manager: leaving the block with an exception, or without ``commit()``, removes
    the stage and leaves the previous output untouched.
    """

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()  # swap the real folder; a symlink to it stays a symlink
        self._shown = out
        self._closed = True
        self._entries: dict[str, bool] = {}  # rel path -> kept from the previous output
        self._dirs: set[str] = {""}
        self._skeleton: set[str] = set()  # folders made ahead by prepare()
        self._mkdir: list[subprocess.Popen[bytes]] = []
        self._left: list[str] | None = None  # the previous output's files not written again
        self._linking = False  # link_previous() started
        self._linked = False  # ... and every file of the previous output is in the stage
        self._leave_out: Collection[str] = ()
        refuse_system_folder(out, self.out)
        self._previous = previous_output(out, self.out)
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            remove_stale(self.out)
            self.path = new_folder(self.out, "tmp")
        except OSError as exc:
            where = Path(exc.filename).parent if exc.filename else self.out.parent
            raise OutputError(f"cannot create a folder in {where}: {hint(exc)}") from exc
        self._closed = False
        dest = os.path.join(self.path, MARKER)
        try:
            self._store(MARKER, dest, MARKER_TEXT)
        except OSError as exc:
            self._fail(exc, f"write {self._shown / MARKER}")

    def prepare(self, rels: Iterable[str]) -> None:
        """Start making the folders of ``rels`` (the last build's files) in the stage.

        A fresh tree needs every folder made again, about one per session, and making a
        folder is a slow system call on a busy disk: ``mkdir`` processes make them while
        this one reads and plans the site. A folder nothing goes into is removed.
        """
        if self._closed or self._mkdir:
            return
        folders = ahead.folders_of(rels) - self._dirs
        if not folders:
            return
        try:
            self._mkdir = ahead.make_folders(os.fspath(self.path), folders)
        except OSError:  # no mkdir to run: each folder is made when a file needs it
            self._skeleton = {d for d in folders if os.path.isdir(os.path.join(self.path, d))}
            return
        self._skeleton = folders

    def link_previous(self, leave_out: Collection[str] = ()) -> bool:
        """Start linking the previous output into the stage (see :func:`ahead.link_tree`)
        but its top-level folders ``leave_out``, a finishing step's: after an edit nearly
        every file is kept, and then keeping one costs a stat, not a link on the way to
        the search index. A write replaces the link, never writes through it; what this
        build does not make is unlinked before the swap. False where it cannot be done."""
        if self._closed or self._mkdir or self._previous is None:
            return False
        leave = {MARKER, *leave_out}
        process = ahead.link_tree(os.fspath(self._previous), os.fspath(self.path), leave)
        if process is None:
            return False
        self._mkdir.append(process)
        self._linking, self._leave_out = True, leave_out
        return True

    def _prepared(self) -> None:
        """Wait for the folders prepare() started making, or the links of link_previous()."""
        if not self._mkdir:
            return
        codes = [process.wait() for process in self._mkdir]
        self._mkdir = []
        if self._linking:
            self._linking = False
            self._linked = all(code == 0 for code in codes)
            if not self._linked:  # linked in part: start again from an empty stage
                for name in set(os.listdir(self.path)) - {MARKER}:
                    ahead.clear(os.path.join(self.path, name), {}, "")
            return
        if all(code == 0 for code in codes):
            self._dirs |= self._skeleton
        else:  # made in part: the others are made when a file needs them
            self._skeleton = {d for d in self._skeleton if os.path.isdir(self.path / d)}

    def write(self, rel: str, data: bytes) -> None:
        """Write ``data`` to ``rel`` (a POSIX path relative to the output root)."""
        dest = self._target(rel)
        try:
            self._entries[rel] = self._store(rel, dest, data)
        except OSError as exc:
            self._fail(exc, f"write {self._shown / rel}")

    def copy(self, rel: str, src: Path) -> None:
        """Copy the file ``src`` to ``rel``; its bytes are copied, never linked."""
        dest = self._target(rel)
        try:
            old = self._previous_file(rel, os.stat(src).st_size)
            if old is not None and same_file(old, src):
                link_or_copy(old, dest)
                self._entries[rel] = True
            else:
                shutil.copyfile(src, dest)
                self._entries[rel] = False
        except OSError as exc:
            self._fail(exc, f"copy {src} to {self._shown / rel}")

    def keep(self, rel: str, size: int, mtime_ns: int) -> bool:
        """Keep the previous output's file at ``rel`` if it is still the one rgsite wrote.

        The file must have the ``size`` and ``mtime_ns`` recorded when it was written;
        anything else (a missing file, an edit by hand) returns False: render it again.
        """
        if self._previous is None:
            return False
        self._check_open()
        if self._mkdir:
            self._prepared()
        path = "/".join(output_parts(rel, self._shown))
        staged = os.path.join(self.path, path)
        if self._linked and rel not in self._entries and is_file_of(staged, size, mtime_ns):
            self._entries[rel] = True  # linked in already
            return True
        old = os.path.join(self._previous, path)
        if not is_file_of(old, size, mtime_ns):
            return False
        dest = self._target(rel)
        try:
            link_or_copy(old, dest)
            self._entries[rel] = True
        except OSError as exc:
            self._fail(exc, f"write {self._shown / rel}")
        return True

    def settle(self) -> None:
        """Tidy the tree and list what of the previous output was not written again, once
        the files given to :meth:`write`, :meth:`copy` and :meth:`keep` are all in: work
        :meth:`commit` would do, done while a finishing step (the search index) may still
        be writing into the stage."""
        self._check_open()
        try:
            self._left = self._tidy()
        except OSError as exc:
            self._fail(exc, f"tidy {self._shown}")

    def commit(self, cleanup: Cleanup = "now") -> CommitStats:
        """Replace the output folder with the staged tree, atomically."""
        self._check_open()
        old_tree: Path | None = None
        try:
            left = self._tidy() if self._left is None else self._left
            # Files a finishing step wrote straight into the stage, such as the search
            # index, are replaced, not removed.
            removed = sum(
                1
                for rel in left
                if rel not in self._entries and not os.path.lexists(os.path.join(self.path, rel))
            )
            if self._previous is not None:
                os.chmod(self.path, stat.S_IMODE(os.stat(self._previous).st_mode))
            old_tree = self._swap()
        except OSError as exc:
            self._fail(exc, f"replace {self._shown} with the new build")
        self._closed = True
        forget(self.path)
        if old_tree is not None:
            remove_later(old_tree, cleanup)
        unchanged = sum(self._entries.values())
        return CommitStats(len(self._entries) - unchanged, unchanged, removed)

    def abort(self) -> None:
        """Remove the stage; the previous output stays as it was."""
        if self._closed:
            return
        self._closed = True
        for process in self._mkdir:
            process.kill()
            process.wait()
        self._mkdir = []
        remove_tree(self.path)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.abort()

    # -- staging ------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise OutputError(f"the build for {self._shown} was already committed or aborted")

    def _target(self, rel: str) -> str:
        """Validate ``rel``, create its parent folders, and return its path in the stage."""
        self._check_open()
        if self._mkdir:
            self._prepared()
        parts = output_parts(rel, self._shown)
        parent = "/".join(parts[:-1])
        # Plain strings: this runs for every file of the site, and pathlib costs more
        # than the system calls.
        dest = os.path.join(self.path, *parts)
        try:
            if parent not in self._dirs:
                try:
                    os.makedirs(os.path.dirname(dest), exist_ok=True)
                except (FileExistsError, NotADirectoryError):
                    if not self._linked:
                        raise
                    # A file of the previous output, linked in, where this build has a
                    # folder goes; one this build wrote stays, and the write fails.
                    ahead.clear_file("/".join(parts[:-1]), os.fspath(self.path), self._entries)
                    os.makedirs(os.path.dirname(dest), exist_ok=True)
                for i in range(1, len(parts)):
                    self._dirs.add("/".join(parts[:i]))
            if rel in self._skeleton and os.path.isdir(dest):
                # A folder last time, a file now: the empty folder made ahead goes.
                os.rmdir(dest)
                self._skeleton.discard(rel)
                self._dirs.discard(rel)
            if rel in self._entries:
                # Written before in this build: replace it. Never write into the old file,
                # which may be a hard link to the previous output.
                os.unlink(dest)
            elif self._linked:  # the previous output's file linked in, or a folder of it
                ahead.clear(dest, self._entries, rel + "/")
        except OSError as exc:
            self._fail(exc, f"write {self._shown / rel}")
        return dest

    def _store(self, rel: str, dest: str, data: bytes) -> bool:
        """Write ``data`` at ``dest``; True if the previous output's identical file was kept."""
        old = self._previous_file(rel, len(data))
        if old is not None and same_bytes(old, data):
            link_or_copy(old, dest)
            return True
        with open(dest, "xb") as f:
            f.write(data)
        return False

    def _previous_file(self, rel: str, size: int) -> str | None:
        """The previous output's regular file at ``rel`` if it has ``size`` bytes."""
        if self._previous is None:
            return None
        old = os.path.join(self._previous, rel)
        return old if is_file_of(old, size) else None

    def _remove_unused_folders(self) -> None:
        """Remove the folders made ahead that no file went into, deepest first, so the
        tree is the one a build without them would make."""
        if not self._skeleton:
            return
        used: set[str] = set()
        for rel in self._entries:
            parts = rel.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                used.add("/".join(parts[:i]))
        for folder in sorted(self._skeleton - used, key=lambda d: d.count("/"), reverse=True):
            # Not empty if a finishing step (the search index) wrote into it.
            with contextlib.suppress(OSError):
                os.rmdir(self.path / folder)
        self._skeleton = set()

    def _tidy(self) -> list[str]:
        """Remove what was made or linked ahead and not used; the files :meth:`_not_kept`."""
        self._prepared()
        self._remove_unused_folders()
        left = self._not_kept()
        if self._linked:  # what was linked in, but not the finishing step's own
            linked = (rel for rel in left if rel.split("/", 1)[0] not in self._leave_out)
            ahead.unlink(os.fspath(self.path), linked)
        return left

    def _not_kept(self) -> list[str]:
        """The previous output's files that no write, copy or keep put in the stage."""
        if self._previous is None:
            return []
        left = []
        pending = [(os.fspath(self._previous), "")]
        while pending:
            folder, prefix = pending.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    rel = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        pending.append((entry.path, rel + "/"))
                    elif rel != MARKER and rel not in self._entries:
                        left.append(rel)
        return left

    def _swap(self) -> Path | None:
        """Put the stage at ``out``; return where the previous tree now is, to delete."""
        if self._previous is None:
            os.rename(self.path, self.out)
            return None
        if _rename_exchange(self.path, self.out):
            return self.path  # the stage's name now holds the previous tree
        old = new_name(self.out, "old")
        os.rename(self.out, old)
        try:
            os.rename(self.path, self.out)
        except OSError as exc:
            try:
                os.rename(old, self.out)
            except OSError:
                self.abort()
                raise OutputError(
                    f"cannot replace {self._shown} with the new build: {hint(exc)}; the "
                    f"previous output is now in {old}: rename it back to {self.out}"
                ) from exc
            forget(old)
            raise
        return old

    def _fail(self, exc: OSError, doing: str) -> NoReturn:
        self.abort()
        raise OutputError(
            f"cannot {doing}: {hint(exc)}; the previous output was left as it was"
        ) from exc

    def fail(self, exc: OSError, doing: str) -> NoReturn:
        """Abort, and raise an OutputError saying what failed: for writes made in
        ``self.path`` by others (the search index), as for this class's own."""
        self._fail(exc, doing)


# -- the atomic swap ----------------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    if sys.platform != "linux":
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # no such libc symbol (old glibc, some musl)
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


def _rename_exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic call; False where the system cannot."""
    call = _renameat2()
    if call is None:
        return False
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))
