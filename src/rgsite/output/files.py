"""Writing files: comparing them with what is there, linking or copying them, and
replacing a file atomically.

A file whose bytes equal the previous output's file is hard-linked or left alone, never
written again, so it keeps its inode and mtime and rsync or a static host sees it
unchanged. These helpers take plain string paths as well as ``Path``: they run for every
file of the site, and pathlib costs more than the system calls.

:func:`write_atomic` and :func:`copy_atomic` are the one way rgsite replaces a single
file (``papers.yaml``, the caches, a preview page) so that a reader sees the old file or
the new, whole, never a part. They use the standard library only: the no-op fast path
of ``rgsite build`` imports this module before the engine.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

_CHUNK = 1 << 20


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


def write_atomic(path: str | Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` so that readers see the old file or the new, whole.

    ``data`` goes to a temporary file beside ``path``, renamed over it once complete. Its
    name is hidden and ends in ``.tmp`` (``.papers.yaml.1a2b3c4d.tmp``), so the site's
    watcher and discovery ignore it. A file that exists keeps its permissions; a new one
    gets the default for the umask. On any failure the temporary file is removed and
    ``path`` is left as it was. ``durable`` also syncs the file and its folder to disk,
    so that the new file survives a power loss: worth it for a file the user keeps, not
    for a cache or the preview.
    """
    _replace(path, lambda out: out.write(data), durable=durable)


def copy_atomic(src: str | Path, path: str | Path, *, durable: bool = True) -> None:
    """Replace ``path`` with a copy of the file ``src``, as :func:`write_atomic` does."""

    def fill(out: BinaryIO) -> None:
        with open(src, "rb") as source:
            shutil.copyfileobj(source, out)

    _replace(path, fill, durable=durable)


# Exclusive creation, so an existing file is never written into; binary on Windows.
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _replace(path: str | Path, fill: Callable[[BinaryIO], object], *, durable: bool) -> None:
    """Have ``fill`` write a temporary file beside ``path``, then rename it over ``path``.

    The one implementation behind :func:`write_atomic` and :func:`copy_atomic`; the
    former's docstring says what it promises.
    """
    folder, name = os.path.split(os.fspath(path))
    try:
        mode: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = None
    fd, temp = _create_temp(folder, name)
    try:
        with open(fd, "wb") as out:
            fill(out)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if durable:
        _sync_folder(folder or ".")


def _create_temp(folder: str, name: str) -> tuple[int, str]:
    for _ in range(100):
        temp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            # 0o666 as open() would: the umask decides a new file's permissions.
            return os.open(temp, _TEMP_FLAGS, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", os.path.join(folder, name))


def _sync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - file systems that cannot sync a folder
        pass
    finally:
        os.close(fd)
