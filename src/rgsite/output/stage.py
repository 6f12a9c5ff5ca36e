"""The output folder: which folders are safe to build into, and replacing one atomically.

Two promises from the spec (§4) live here:

* rgsite refuses an output folder that is the site, contains it, or lies inside
  ``content/``, ``templates/`` or ``static/``. Paths are compared by resolved components
  (``Path.resolve``, ``is_relative_to``), never by string prefix, so ``site-out`` beside
  ``site`` is fine. ``/`` and the home folder are refused, and so is any non-empty folder
  rgsite cannot prove it wrote: every output root carries a ``.rgsite-output`` marker.
* A build replaces the output all at once or not at all.

How a build is written
----------------------
:class:`Stage` builds the new tree in ``.{name}.rgsite-tmp-<pid>-<random>`` beside the
output folder, on the same file system. A file whose bytes equal the previous output's file
at the same path is hard-linked from the previous tree instead of written, so it keeps its
inode and mtime and rsync or a static host sees it unchanged. ``commit()`` then swaps:

* on Linux, ``renameat2(RENAME_EXCHANGE)`` swaps the two folders in one atomic call;
* elsewhere, or on a file system without it, two renames: ``out`` to
  ``.{name}.rgsite-old-<pid>-<random>``, then the stage to ``out``. For the microseconds
  between them ``out`` does not exist: a reader gets "not found", never a mix of old and
  new files. If the second rename fails, the first is undone.

The previous tree is deleted only after the swap. rgsite deletes nothing but folders with
those two names: its own, and leftovers of crashed builds whose process is gone. Surviving
power loss (fsync) is not promised.

This module must not know about routes, templates or the site's content.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import logging
import os
import re
import secrets
import shutil
import stat
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import NoReturn, Self

from rgsite.errors import OutputError
from rgsite.options import Cleanup

log = logging.getLogger(__name__)

MARKER = ".rgsite-output"
MARKER_TEXT = b"This folder is written by rgsite. Every build replaces all of it.\n"
PROTECTED = ("content", "templates", "static")

_CHUNK = 1 << 20
# Stage and old-tree folder names this process is still using, so that cleaning up after
# crashed builds never removes a folder of a build running in this same process.
_ACTIVE: set[str] = set()
_ACTIVE_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class CommitStats:
    """What a commit changed: files written or changed, kept byte-identical, and removed."""

    written: int
    unchanged: int
    removed: int


def check_output_folder(site_root: Path, out: Path) -> None:
    """Raise OutputError if building into ``out`` could overwrite the site or other files."""
    site = site_root.resolve()
    target = out.resolve()  # a symlinked output folder is judged by where it points
    _refuse_system_folder(out, target)
    if site.is_relative_to(target):
        what = "is the site folder" if site == target else f"contains the site folder {site}"
        raise OutputError(
            f"output folder {out} {what}; a build replaces its output folder completely. "
            f"Choose a folder of its own, such as {site / '_site'}"
        )
    for name in PROTECTED:
        guarded = (site / name).resolve()
        if target.is_relative_to(guarded) or guarded.is_relative_to(target):
            where = "lies inside" if target.is_relative_to(guarded) else "contains"
            raise OutputError(
                f"output folder {out} {where} the site's {name}/ folder; a build would "
                f"overwrite the site's own files. Choose a folder such as {site / '_site'}"
            )
    if target.exists() and not target.is_dir():
        raise OutputError(f"output folder {out} is a file, not a folder; choose another path")


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
        _refuse_system_folder(out, self.out)
        self._previous = _previous_output(out, self.out)
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            remove_stale(self.out)
            self.path = _new_folder(self.out, "tmp")
        except OSError as exc:
            where = Path(exc.filename).parent if exc.filename else self.out.parent
            raise OutputError(f"cannot create a folder in {where}: {_hint(exc)}") from exc
        self._closed = False
        dest = os.path.join(self.path, MARKER)
        try:
            self._store(MARKER, dest, MARKER_TEXT)
        except OSError as exc:
            self._fail(exc, f"write {self._shown / MARKER}")

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
        old = os.path.join(self._previous, "/".join(output_parts(rel, self._shown)))
        if not is_file_of(old, size, mtime_ns):
            return False
        dest = self._target(rel)
        try:
            link_or_copy(old, dest)
            self._entries[rel] = True
        except OSError as exc:
            self._fail(exc, f"write {self._shown / rel}")
        return True

    def commit(self, cleanup: Cleanup = "now") -> CommitStats:
        """Replace the output folder with the staged tree, atomically."""
        self._check_open()
        old_tree: Path | None = None
        try:
            removed = self._count_removed()
            if self._previous is not None:
                os.chmod(self.path, stat.S_IMODE(os.stat(self._previous).st_mode))
            old_tree = self._swap()
        except OSError as exc:
            self._fail(exc, f"replace {self._shown} with the new build")
        self._closed = True
        _forget(self.path)
        if old_tree is not None:
            remove_later(old_tree, cleanup)
        unchanged = sum(self._entries.values())
        return CommitStats(len(self._entries) - unchanged, unchanged, removed)

    def abort(self) -> None:
        """Remove the stage; the previous output stays as it was."""
        if self._closed:
            return
        self._closed = True
        _remove_tree(self.path)

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
        parts = output_parts(rel, self._shown)
        parent = "/".join(parts[:-1])
        # Plain strings: this runs for every file of the site, and pathlib costs more
        # than the system calls.
        dest = os.path.join(self.path, *parts)
        try:
            if parent not in self._dirs:
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                for i in range(1, len(parts)):
                    self._dirs.add("/".join(parts[:i]))
            if rel in self._entries:
                # Written before in this build: replace it. Never write into the old file,
                # which may be a hard link to the previous output.
                os.unlink(dest)
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

    def _count_removed(self) -> int:
        if self._previous is None:
            return 0
        removed = 0
        pending = [(self._previous, "")]
        while pending:
            folder, prefix = pending.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    rel = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        pending.append((Path(entry.path), rel + "/"))
                    elif (
                        rel != MARKER
                        and rel not in self._entries
                        # Files a finishing step wrote straight into the stage, such as
                        # the search index, are replaced, not removed.
                        and not os.path.lexists(self.path / rel)
                    ):
                        removed += 1
        return removed

    def _swap(self) -> Path | None:
        """Put the stage at ``out``; return where the previous tree now is, to delete."""
        if self._previous is None:
            os.rename(self.path, self.out)
            return None
        if _rename_exchange(self.path, self.out):
            return self.path  # the stage's name now holds the previous tree
        old = _new_name(self.out, "old")
        os.rename(self.out, old)
        try:
            os.rename(self.path, self.out)
        except OSError as exc:
            try:
                os.rename(old, self.out)
            except OSError:
                self.abort()
                raise OutputError(
                    f"cannot replace {self._shown} with the new build: {_hint(exc)}; the "
                    f"previous output is now in {old}: rename it back to {self.out}"
                ) from exc
            _forget(old)
            raise
        return old

    def _fail(self, exc: OSError, doing: str) -> NoReturn:
        self.abort()
        raise OutputError(
            f"cannot {doing}: {_hint(exc)}; the previous output was left as it was"
        ) from exc

    def fail(self, exc: OSError, doing: str) -> NoReturn:
        """Abort, and raise an OutputError saying what failed: for writes made in
        ``self.path`` by others (the search index), as for this class's own."""
        self._fail(exc, doing)


# -- folders rgsite owns ----------------------------------------------------------------


def remove_stale(out: Path) -> None:
    """Remove stage and old-tree folders beside ``out`` left by builds that crashed."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.rgsite-(?:tmp|old)-([1-9][0-9]*)-[0-9a-f]+")
    try:
        entries = list(os.scandir(out.parent))
    except OSError as exc:
        log.debug("cannot list %s to clean up old builds: %s", out.parent, exc)
        return
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if not match or not entry.is_dir(follow_symlinks=False):
            continue
        pid = int(match[1])
        with _ACTIVE_LOCK:
            in_use = entry.name in _ACTIVE if pid == os.getpid() else _pid_alive(pid)
        if not in_use:
            log.info("removing %s left by an interrupted build", entry.path)
            _remove_tree(Path(entry.path))


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) is not a probe on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: alive, but someone else's
        return True
    return True


def _new_name(out: Path, kind: str) -> Path:
    name = f".{out.name}.rgsite-{kind}-{os.getpid()}-{secrets.token_hex(4)}"
    with _ACTIVE_LOCK:
        _ACTIVE.add(name)
    return out.parent / name


def _new_folder(out: Path, kind: str) -> Path:
    path = _new_name(out, kind)
    try:
        path.mkdir()
    except OSError:
        _forget(path)
        raise
    return path


def _forget(path: Path) -> None:
    with _ACTIVE_LOCK:
        _ACTIVE.discard(path.name)


_CLEANUP = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


def remove_later(path: Path, how: Cleanup) -> None:
    """Delete the previous tree after the swap: now, in a thread, or by a detached process.

    Deleting thousands of files costs seconds on some disks; the new output is already
    in place, so a command-line build hands the old tree to a process of its own and
    returns. Should that process die, the next build removes the tree as stale.
    """
    if how == "thread":
        threading.Thread(target=_remove_tree, args=(path,), daemon=False).start()
        return
    if how == "detach":
        spawn = getattr(os, "posix_spawn", None)
        if spawn is not None:
            quiet = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
            try:
                spawn(
                    sys.executable,
                    [sys.executable, "-c", _CLEANUP, str(path)],
                    os.environ,
                    file_actions=quiet,
                    setsid=True,
                )
            except OSError:
                pass
            else:
                _forget(path)
                return
    _remove_tree(path)


def _remove_tree(path: Path) -> None:
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except OSError as exc:  # left for the next build's clean-up
        log.warning("could not remove %s: %s", path, exc)
    _forget(path)


def _previous_output(shown: Path, out: Path) -> Path | None:
    """``out`` if it exists (empty or with the marker); refuse anything else there."""
    try:
        st = os.stat(out)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"cannot read output folder {shown}: {_hint(exc)}") from exc
    if not stat.S_ISDIR(st.st_mode):
        raise OutputError(f"output folder {shown} is a file, not a folder; choose another path")
    try:
        with os.scandir(out) as entries:
            foreign = not (out / MARKER).is_file() and any(entries)
    except OSError as exc:
        raise OutputError(f"cannot read output folder {shown}: {_hint(exc)}") from exc
    if foreign:
        raise OutputError(
            f"output folder {shown} is not empty and was not written by rgsite; "
            "choose another folder or empty it"
        )
    return out


def _refuse_system_folder(shown: Path, target: Path) -> None:
    if target == Path(target.anchor):
        raise OutputError(f"output folder {shown} is the root of the file system; choose another")
    try:
        home = Path.home().resolve()
    except (RuntimeError, KeyError):
        return
    if home.is_relative_to(target):
        what = "is your home folder" if home == target else f"contains your home folder {home}"
        raise OutputError(f"output folder {shown} {what}; choose a folder of its own")


def _hint(exc: OSError) -> str:
    """What went wrong, in words that say what to do."""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied; fix the folder's permissions or choose another with -o"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full; free some space and build again"
    if exc.errno == errno.EROFS:
        return "the file system is read-only; choose an output folder on a writable disk (-o)"
    if exc.errno in (errno.EEXIST, errno.EISDIR, errno.ENOTDIR):
        return "a file and a folder would have the same name in the output"
    if exc.errno == errno.EXDEV:
        return "the output folder is a mount point; choose a folder inside it with -o"
    return exc.strerror or str(exc)


# -- comparing ----------------------------------------------------------------------------


def output_parts(rel: str, shown: Path) -> list[str]:
    """The parts of ``rel``, an output path; OutputError unless it stays inside the output."""
    parts = rel.split("/")
    if rel == MARKER or any(p in ("", ".", "..") for p in parts) or "\\" in rel or "\0" in rel:
        raise OutputError(
            f"refusing to write {rel!r} into {shown}: output paths must be "
            "relative POSIX paths without '..', '.', empty parts or backslashes"
        )
    return parts


def is_file_of(path: str | Path, size: int, mtime_ns: int | None = None) -> bool:
    """Whether ``path`` is a regular file (not a link) of ``size`` bytes and that mtime."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return (
        stat.S_ISREG(st.st_mode)
        and st.st_size == size
        and (mtime_ns is None or st.st_mtime_ns == mtime_ns)
    )


def link_or_copy(old: str | Path, dest: str | Path) -> None:
    """Hard-link the unchanged ``old`` at ``dest``, so it keeps its inode and mtime; where
    links fail (another device, a file system without them), copy its bytes and mtime."""
    try:
        os.link(old, dest)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.EOPNOTSUPP):
            raise
        shutil.copyfile(old, dest)
        st = os.stat(old)
        os.utime(dest, ns=(st.st_atime_ns, st.st_mtime_ns))


def same_bytes(path: str | Path, data: bytes) -> bool:
    view = memoryview(data)
    with open(path, "rb") as f:
        for start in range(0, len(data), _CHUNK):
            if f.read(_CHUNK) != view[start : start + _CHUNK]:
                return False
        return not f.read(1)


def same_file(a: str | Path, b: str | Path) -> bool:
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            chunk = fa.read(_CHUNK)
            if chunk != fb.read(_CHUNK):
                return False
            if not chunk:
                return True


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
